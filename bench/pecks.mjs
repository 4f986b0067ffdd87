// The Peck Protocol's full cycle: POST /beak/peck (requester's Beak Key) then
// POST /beak/peck/approve (target's Beak Key) → bonded. Each cycle uses a fresh pair of ducklings,
// so every cycle does the whole work: target lookup, certificate check, peck + code + 2 events +
// mail, then the conditional decision + bond + 4 events. Compared with a bare Fastify server
// answering the same two POSTs per cycle, measured in the same run.
//   node bench/pecks.mjs [--ducklings 64] [--connections 16]     (npm run build first)
import autocannon from 'autocannon';
import { startBaseline, startServer, report, hatch } from './lib.mjs';

const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const K = arg('ducklings', 64), connections = arg('connections', 16);

/** Runs `cycles` two-step cycles; the second request of each uses the first one's answer. */
function cycles({ url, cycles: n, first, second }) {
  let next = 0;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let done = 0, failed = 0;
    const why = {};
    const fail = (step, status) => { failed++; why[`${step} ${status}`] = (why[`${step} ${status}`] ?? 0) + 1; };
    autocannon({
      url, connections, amount: n * 2, timeout: 30,
      requests: [
        {
          method: 'POST',
          setupRequest: (req, ctx) => { ctx.i = next++; return { ...req, ...first(ctx.i) }; },
          onResponse: (status, body, ctx) => { ctx.first = status === 200 ? JSON.parse(body) : null; if (status !== 200) fail('peck', status); },
        },
        {
          method: 'POST',
          setupRequest: (req, ctx) => ({ ...req, ...second(ctx.i, ctx.first) }),
          onResponse: (status) => { if (status === 200) done++; else fail('approve', status); },
        },
      ],
    }, (err, r) => {
      if (err) return reject(err);
      const secs = (Date.now() - started) / 1000;
      // A cycle is two requests; its latency is roughly twice a request's.
      resolve({ rps: done / secs, p50: r.latency.p50 * 2, p99: r.latency.p99 * 2, non2xx: failed, total: done, why, errors: r.errors + r.timeouts });
    });
  });
}

const json = (body, key) => ({ headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify(body) });

const baseline = await startBaseline();
const server = await startServer();
const stopAll = () => Promise.allSettled([server.stop(), baseline.stop()]);
process.once('uncaughtException', (err) => { console.error(err); void stopAll().then(() => process.exit(1)); });
try {
  const t0 = Date.now();
  const ducks = [];
  for (let i = 0; i < K; i += 8) ducks.push(...await Promise.all(Array.from({ length: Math.min(8, K - i) }, () => hatch(server.url))));
  if (ducks.some((d) => !d.beak_key)) throw new Error('hatching failed');
  const pairs = [];
  for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) pairs.push([ducks[i], ducks[j]]);
  pairs.sort(() => Math.random() - 0.5); // spread each duckling's pecks over the run
  console.log(`hatched ${K} ducklings (${pairs.length} distinct pairs) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // autocannon prepares each connection's next request ahead, so keep a margin of unused pairs.
  const warm = 100, gap = 2 * connections, measured = pairs.length - warm - 2 * gap;
  const pairAt = (i) => pairs[Math.min(i, pairs.length - 1)];
  const peckCycle = (offset) => ({
    url: server.url,
    first: (i) => { const [a, b] = pairAt(offset + i); return { path: '/beak/peck', ...json({ target: b.duckling_id, purpose: 'bench' }, a.beak_key) }; },
    second: (i, res) => { const [, b] = pairAt(offset + i); return { path: '/beak/peck/approve', ...json({ peck_id: res?.peck_id ?? 'peck_missing' }, b.beak_key) }; },
  });
  const base = (n) => cycles({ url: baseline.url, cycles: n, first: () => ({ path: '/', ...json({ a: 1 }) }), second: () => ({ path: '/', ...json({ b: 1 }) }) });

  await base(2000);
  await cycles({ ...peckCycle(0), cycles: warm });
  const rows = [
    { name: 'bare Fastify, 2 POSTs per cycle (baseline)', ...(await base(20_000)) },
    { name: 'peck + approve → bonded (SQLite)', ...(await cycles({ ...peckCycle(warm + gap), cycles: measured })) },
  ];
  report(`Peck Protocol full cycles/s, ${connections} connections, ${measured} cycles on fresh pairs`, rows);
  console.log(`\n${rows[1].rps.toFixed(0)} complete request+approve cycles/s (${(rows[1].rps * 2).toFixed(0)} requests/s), `
    + `${rows[1].total} bonds made, ${rows[1].non2xx} failed requests ${JSON.stringify(rows[1].why)}, ${rows[1].errors} socket errors/timeouts; `
    + `${(100 * rows[1].rps / rows[0].rps).toFixed(1)} % of the baseline's cycle rate`);
} finally {
  await stopAll();
}
