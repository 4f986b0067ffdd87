// GET /beak/ and GET /beak/metrics against a bare Fastify baseline in the same run.
// Target (issue 2): GET /beak/ at ≥ 80 % of the baseline's requests/s.
//   node bench/platform.mjs [--duration 10] [--connections 50]
import { startBaseline, startServer, load, report } from './lib.mjs';

const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const duration = arg('duration', 10), connections = arg('connections', 50);

const baseline = await startBaseline();
const server = await startServer();
try {
  await load({ url: `${baseline.url}/`, duration: 2, connections }); // warm-up
  await load({ url: `${server.url}/beak/`, duration: 2, connections });
  const rows = [
    { name: 'bare Fastify GET / (baseline)', ...(await load({ url: `${baseline.url}/`, duration, connections })) },
    { name: 'GET /beak/', ...(await load({ url: `${server.url}/beak/`, duration, connections })) },
    { name: 'GET /beak/metrics (cached ≤ 5 s)', ...(await load({ url: `${server.url}/beak/metrics`, duration, connections })) },
  ];
  report(`platform routes, ${connections} connections, ${duration} s each, SQLite`, rows);
  const ratio = rows[1].rps / rows[0].rps;
  console.log(`\nGET /beak/ = ${(ratio * 100).toFixed(0)} % of baseline (target ≥ 80 %): ${ratio >= 0.8 ? 'met' : 'NOT met'}`);
} finally {
  await server.stop();
  await baseline.stop();
}
