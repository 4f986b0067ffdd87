// GET /beak/ and GET /beak/metrics against a bare Fastify baseline in the same run.
// Target (issue 2): GET /beak/ at ≥ 80 % of the baseline's requests/s.
// This VM's throughput drifts by tens of percent from second to second, so the routes are
// measured in interleaved rounds and each keeps its median: drift then hits every row alike.
//   node bench/platform.mjs [--duration 4] [--connections 50] [--rounds 5]
import { startBaseline, startServer, load, report } from './lib.mjs';

const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const duration = arg('duration', 4), connections = arg('connections', 50), rounds = arg('rounds', 5);

const baseline = await startBaseline();
const server = await startServer();
try {
  const cases = [
    ['bare Fastify GET / (baseline)', `${baseline.url}/`],
    ['bare Fastify, same body as GET /beak/', `${baseline.url}/about`],
    ['GET /beak/', `${server.url}/beak/`],
    ['GET /beak/metrics (cached ≤ 5 s)', `${server.url}/beak/metrics`],
  ];
  for (const [, url] of cases) await load({ url, duration: 1, connections }); // warm-up
  const runs = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, [, url]] of cases.entries()) runs[i].push(await load({ url, duration, connections }));
  }
  const median = (xs) => [...xs].sort((a, b) => a.rps - b.rps)[Math.floor(xs.length / 2)];
  const rows = cases.map(([name], i) => ({ name, ...median(runs[i]) }));
  report(`platform routes, ${connections} connections, median of ${rounds} interleaved ${duration} s rounds, SQLite`, rows);
  const ratio = rows[2].rps / rows[0].rps;
  console.log(`\nGET /beak/ = ${(ratio * 100).toFixed(0)} % of baseline (target ≥ 80 %): ${ratio >= 0.8 ? 'met' : 'NOT met'}; `
    + `${((rows[2].rps / rows[1].rps) * 100).toFixed(0)} % of a bare route returning the same body`);
} finally {
  await server.stop();
  await baseline.stop();
}
