// GET /beak/ and GET /beak/metrics against a bare Fastify baseline in the same run.
// Target (issue 2): GET /beak/ at ≥ 80 % of the baseline's requests/s.
// This VM's throughput drifts by tens of percent from second to second, and a process keeps a
// speed of its own for its life (seen for the bare server as much as for ours). So each round
// starts fresh processes (both servers), warms them, and measures the routes one after the
// other; a ratio is taken within its round, and the report keeps each row's median.
//   node bench/platform.mjs [--duration 4] [--connections 50] [--rounds 5]
import { startBaseline, startServer, load, report } from './lib.mjs';

const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const duration = arg('duration', 4), connections = arg('connections', 50), rounds = arg('rounds', 5);

const names = ['bare Fastify GET / (baseline)', 'bare Fastify, same body as GET /beak/', 'GET /beak/', 'GET /beak/metrics (cached ≤ 5 s)'];
const runs = names.map(() => []);
const ratios = [];
for (let r = 0; r < rounds; r++) {
  const baseline = await startBaseline();
  const server = await startServer();
  try {
    const urls = [`${baseline.url}/`, `${baseline.url}/about`, `${server.url}/beak/`, `${server.url}/beak/metrics`];
    for (const url of urls) await load({ url, duration: 1, connections }); // warm-up
    const round = [];
    for (const url of urls) round.push(await load({ url, duration, connections }));
    round.forEach((x, i) => runs[i].push(x));
    ratios.push(round[2].rps / round[0].rps);
  } finally {
    await server.stop();
    await baseline.stop();
  }
}
const median = (xs, by = (x) => x) => [...xs].sort((a, b) => by(a) - by(b))[Math.floor(xs.length / 2)];
const rows = names.map((name, i) => ({ name, ...median(runs[i], (x) => x.rps) }));
report(`platform routes, ${connections} connections, median of ${rounds} rounds of ${duration} s, fresh processes each round, SQLite`, rows);
const ratio = median(ratios);
console.log(`\nGET /beak/ ÷ baseline per round: ${ratios.map((x) => x.toFixed(2)).join(' / ')}`);
console.log(`GET /beak/ = ${(ratio * 100).toFixed(0)} % of baseline, median of the rounds (target ≥ 80 %): ${ratio >= 0.8 ? 'met' : 'NOT met'}; `
  + `${((rows[2].rps / rows[1].rps) * 100).toFixed(0)} % of a bare route returning the same body`);
