// Webhook delivery: throughput to a local receiver and latency from the causing request to the
// first attempt, against a raw HTTP POST loop to the same receiver (the ceiling, same run).
//   node bench/webhooks.mjs [--events 200] [--fanout 10] [--samples 200]
// The causing request is POST /beak/agent/register (it emits agent.registered).
// Throughput: the receiver holds its answers while `events` × `fanout` deliveries queue up
// (`fanout` endpoints of one duckling), then answers at once; the drain rate is the worker's,
// not the API's. Server CPU time per delivery is read from /proc, which load elsewhere on the
// box disturbs far less than wall-clock rates.
import fs from 'node:fs';
import http from 'node:http';
import { hatch, report, startServer } from './lib.mjs';

const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const EVENTS = arg('events', 200), FANOUT = Math.min(arg('fanout', 10), 20), SAMPLES = arg('samples', 200);
const CONCURRENCY = 8; // the worker's attempts in flight per node

const firstArrival = new Map(); // `${path} ${webhook-id}` → ms
let hold = false;
const held = [];
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const key = `${req.url} ${req.headers['webhook-id'] ?? ''}`;
    const answer = () => {
      if (!firstArrival.has(key)) firstArrival.set(key, performance.now());
      res.writeHead(200).end('ok');
    };
    if (hold) held.push(answer); else answer();
  });
});
receiver.keepAliveTimeout = 10_000;
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const rurl = `http://127.0.0.1:${receiver.address().port}`;

const count = (prefix) => { let n = 0; for (const k of firstArrival.keys()) if (k.startsWith(prefix)) n++; return n; };
async function until(pred, ms, what) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const round = (x) => Math.round(x * 10) / 10;
const cpuMs = (pid) => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };

async function rawCeiling(n) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const body = JSON.stringify({ id: 'evt_x', type: 'agent.registered', created_at: new Date().toISOString(), data: { agent_id: 'sd_x' } });
  const lat = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < n) {
      const i = next++;
      const s = performance.now();
      await new Promise((resolve, reject) => {
        const req = http.request(`${rurl}/raw`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'webhook-id': `raw${i}` } }, (res) => { res.resume(); res.on('end', resolve); });
        req.on('error', reject);
        req.end(body);
      });
      lat.push(performance.now() - s);
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  agent.destroy();
  return { name: `raw POST loop, ${CONCURRENCY} in flight (ceiling)`, rps: n / secs, p50: round(pct(lat, 50)), p99: round(pct(lat, 99)), non2xx: 0 };
}

const server = await startServer({ env: { SPACEDUCK_WEBHOOK_ALLOW_PRIVATE: 'true', SPACEDUCK_WEBHOOK_RETRY_SCHEDULE: '1,1,1' } });
try {
  const who = await hatch(server.url);
  const post = async (path, body) => {
    const r = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${who.access_token}` }, body: JSON.stringify(body) });
    const json = await r.json();
    if (!r.ok) throw new Error(`${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };

  // 1. Latency: one endpoint; sequential causing requests; request start → the first attempt arrives.
  const lh = await post('/beak/webhooks', { url: `${rurl}/lat`, events: ['agent.registered'] });
  await post('/beak/agent/register', { agent_name: 'warm-up' });
  await until(() => count('/lat ') === 1, 10_000, 'the warm-up delivery');
  const lat = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    await post('/beak/agent/register', { agent_name: `lat${i}` });
    await until(() => count('/lat ') === i + 2, 10_000, 'a delivery');
    lat.push(Math.max(...[...firstArrival].filter(([k]) => k.startsWith('/lat ')).map(([, v]) => v)) - t0);
  }
  await fetch(`${server.url}/beak/webhooks/${lh.webhook_id}`, { method: 'DELETE', headers: { authorization: `Bearer ${who.access_token}` } });
  const latRow = { name: `request → first attempt (${SAMPLES} sequential)`, rps: 1000 / pct(lat, 50), p50: round(pct(lat, 50)), p99: round(pct(lat, 99)), non2xx: 0 };

  // 2. Throughput: queue EVENTS × FANOUT deliveries behind a receiver that holds its answers, then drain.
  for (let i = 0; i < FANOUT; i++) await post('/beak/webhooks', { url: `${rurl}/fan${i}`, events: ['*'] });
  const want = EVENTS * FANOUT;
  hold = true;
  let made = 0;
  const tp = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => { while (made < EVENTS) { made++; await post('/beak/agent/register', { agent_name: `tp${made}` }); } }));
  const producedS = (performance.now() - tp) / 1000;
  const cpu0 = cpuMs(server.pid);
  const t0 = performance.now();
  hold = false;
  for (const answer of held.splice(0)) answer();
  await until(() => count('/fan') >= want, 120_000, 'the fan-out deliveries');
  const drainS = (performance.now() - t0) / 1000;
  const cpuPer = (cpuMs(server.pid) - cpu0) / want;
  const tpRow = { name: `worker drain, ${EVENTS} events × ${FANOUT} endpoints`, rps: want / drainS, p50: '-', p99: '-', non2xx: 0 };

  const ceiling = await rawCeiling(want);
  report('webhook delivery (SQLite, one node, loopback receiver)', [ceiling, tpRow, latRow]);
  console.log(`\nqueued ${EVENTS} events (${(EVENTS / producedS).toFixed(0)} causing requests/s while deliveries waited)`);
  console.log(`delivery throughput: ${(want / drainS).toFixed(0)} deliveries/s = ${((want / drainS) / ceiling.rps * 100).toFixed(0)} % of the raw POST ceiling; server CPU ${cpuPer.toFixed(2)} ms per delivery`);
  console.log(`latency request → first attempt: p50 ${latRow.p50} ms, p99 ${latRow.p99} ms (includes the causing request itself)`);
  const status = await (await fetch(`${server.url}/beak/system/status`)).json();
  console.log(`backlog after the run: ${status.components.webhooks.backlog}`);
} finally {
  await server.stop();
  receiver.closeAllConnections();
  receiver.close();
}
