// The cost of rate limiting on the pulse path: POST /beak/pulse with an agent's Beak Key, with
// limits off, in memory and in Redis, in the same run, against a bare Fastify POST baseline.
// The "on" servers use a table whose agent class is too large to trip, so every request takes
// the full path (bucket spent, headers written) and still reaches the handler; a last row uses
// the contract's table, where one agent (T1: 120/min) is almost always answered 429.
//   npm run build && node bench/ratelimit.mjs [--duration 3] [--rounds 3] [--connections 32]
//   Redis: REDIS_URL (default redis://127.0.0.1:6379); the row is skipped when it is not answering.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { hatch, load, report, startBaseline, startServer } from './lib.mjs';

const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const duration = arg('duration', 3), connections = arg('connections', 32), rounds = arg('rounds', 3);
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spaceduck-bench-rl-'));
const roomy = path.join(tmp, 'limits.json');
fs.writeFileSync(roomy, JSON.stringify({ classes: { agent: { perTier: [100_000_000, 100_000_000, 100_000_000] } } }));
const contract = path.join(tmp, 'contract.json');
fs.writeFileSync(contract, '{}');

function redisAnswers(url) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port || 6379), u.hostname, () => s.write('PING\r\n'));
    s.setTimeout(1000, () => { s.destroy(); resolve(false); });
    s.on('data', (d) => { s.destroy(); resolve(d.toString().startsWith('+PONG')); });
    s.on('error', () => resolve(false));
  });
}

/** A server with one registered agent; returns the load options for its pulse. */
async function pulseTarget(env) {
  const server = await startServer({ env });
  const owner = await hatch(server.url);
  const reg = await fetch(`${server.url}/beak/agent/register`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.access_token}` },
    body: JSON.stringify({ agent_name: 'bench-agent', agent_type: 'bot' }),
  }).then((r) => r.json());
  if (!reg.beak_key) throw new Error(`agent registration failed: ${JSON.stringify(reg)}`);
  const opts = {
    url: `${server.url}/beak/pulse`, method: 'POST', connections, duration,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${reg.beak_key}` },
    body: { status: 'active', meta: { load: 0.42, region: 'bench' } },
  };
  return { server, opts };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CPU seconds (user + system) a process has used: less disturbed by a busy machine than req/s. */
function cpuOf(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

async function run(t) {
  const before = cpuOf(t.server.pid);
  const r = await load(t.opts);
  return { ...r, cpuUs: ((cpuOf(t.server.pid) - before) / r.total) * 1e6 };
}

const baseline = await startBaseline();
const configs = [
  ['pulse, limits off', { SPACEDUCK_RATE_LIMITS: 'off' }],
  ['pulse, limits on, memory store', { SPACEDUCK_RATE_LIMITS: roomy }],
  ...(await redisAnswers(redisUrl)
    ? [['pulse, limits on, Redis store', { SPACEDUCK_RATE_LIMITS: roomy, REDIS_URL: redisUrl }]]
    : (console.log(`(Redis at ${redisUrl} is not answering: Redis row skipped)`), [])),
  ['pulse, contract table (T1 agent → 429s)', { SPACEDUCK_RATE_LIMITS: contract }],
];
const targets = [];
const rows = [];
try {
  for (const [name, env] of configs) targets.push({ name, ...(await pulseTarget(env)) });
  const post = { url: `${baseline.url}/`, method: 'POST', headers: { 'content-type': 'application/json' }, body: { status: 'active' }, connections };
  await load({ ...post, duration: 1 });
  rows.push({ name: 'bare Fastify POST / (baseline)', ...(await load({ ...post, duration })) });
  for (const t of targets) await load({ ...t.opts, duration: 1 }); // warm-up
  // Rounds interleave the configurations, and each row is its median round, so load from
  // elsewhere on the machine falls on all of them alike.
  const runs = targets.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, t] of targets.entries()) runs[i].push(await run(t));
  }
  for (const [i, t] of targets.entries()) {
    const rps = median(runs[i].map((r) => r.rps));
    rows.push({ name: t.name, ...runs[i].find((r) => r.rps === rps), cpuUs: median(runs[i].map((r) => r.cpuUs)) });
  }
} finally {
  for (const t of targets) await t.server.stop();
  await baseline.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
report(`rate limiting on POST /beak/pulse, ${connections} connections, median of ${rounds} × ${duration} s, SQLite`, rows);
const off = rows.find((r) => r.name === 'pulse, limits off');
console.log('\nserver CPU per request (median round; the steadier figure on a shared machine):');
for (const r of rows.filter((x) => x.cpuUs !== undefined)) console.log(`  ${r.name.padEnd(42)} ${r.cpuUs.toFixed(0).padStart(6)} µs`);
for (const r of rows.filter((x) => x.name.startsWith('pulse, limits on'))) {
  console.log(`${r.name}: ${((r.rps / off.rps) * 100).toFixed(0)} % of limits-off throughput, `
    + `${r.cpuUs - off.cpuUs >= 0 ? '+' : ''}${(r.cpuUs - off.cpuUs).toFixed(0)} µs CPU per request, p99 ${r.p99} ms vs ${off.p99} ms`);
}
