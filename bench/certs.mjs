// Public certificate verification (GET /beak/cert/verify of known certificates) against a bare
// Fastify baseline in the same run, plus the cached status list for reference.
// Target (issue 5): verification at ≥ 60 % of the baseline's requests/s.
//   node bench/certs.mjs [--duration 4] [--rounds 3] [--connections 50] [--certs 300]
import { startBaseline, startServer, load, report, devOtp } from './lib.mjs';

const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const duration = arg('duration', 4), rounds = arg('rounds', 3), connections = arg('connections', 50), certs = arg('certs', 300);

const post = (url, path, body, token) => fetch(url + path, {
  method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
}).then((r) => r.json());

/** Passwordless signup + email verification: a T1 duckling with its birth certificate. */
async function hatch(url, i) {
  const email = `bench-cert-${i}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  await post(url, '/beak/signup', { email });
  return post(url, '/beak/verify', { email, code: await devOtp(url, email) });
}

const baseline = await startBaseline();
const server = await startServer();
try {
  const seeded = [];
  for (let i = 0; i < certs; i += 10) {
    seeded.push(...await Promise.all(Array.from({ length: Math.min(10, certs - i) }, (_, j) => hatch(server.url, i + j))));
  }
  // One in ten revoked, so the run mixes both answers the way real traffic would.
  await Promise.all(seeded.filter((_, i) => i % 10 === 0).map((d) => post(server.url, '/beak/cert/revoke', { reason: 'bench' }, d.access_token)));
  const ids = seeded.map((d) => d.cert_id);
  if (ids.some((id) => !/^cert_/.test(id ?? ''))) throw new Error('seeding failed: a duckling has no certificate');
  const requests = ids.map((id) => ({ method: 'GET', path: `/beak/cert/verify?cert_id=${id}` }));
  // The baseline gets the same rotating request list (it ignores the query), so the load
  // generator does the same work on both sides of the ratio.
  const baselineRequests = ids.map((id) => ({ method: 'GET', path: `/?cert_id=${id}` }));

  await load({ url: baseline.url, requests: baselineRequests, duration: 2, connections }); // warm-up
  await load({ url: server.url, requests, duration: 2, connections });
  // Interleaved rounds, best of each: on a shared machine a burst of other work then lowers one
  // round, not one side of the ratio.
  const best = (a, b) => (!a || b.rps > a.rps ? b : a);
  let base, verify;
  for (let round = 0; round < rounds; round++) {
    base = best(base, await load({ url: baseline.url, requests: baselineRequests, duration, connections }));
    verify = best(verify, await load({ url: server.url, requests, duration, connections }));
  }
  const rows = [
    { name: 'bare Fastify GET /?cert_id= (baseline)', ...base },
    { name: `GET /beak/cert/verify (${ids.length} certs, 10% revoked)`, ...verify },
    { name: 'GET /beak/cert/status-list (cached)', ...(await load({ url: `${server.url}/beak/cert/status-list`, duration, connections })) },
  ];
  report(`certificate verification, ${connections} connections, best of ${rounds} × ${duration} s, SQLite`, rows);
  const ratio = rows[1].rps / rows[0].rps;
  console.log(`\nGET /beak/cert/verify = ${(ratio * 100).toFixed(0)} % of baseline (target ≥ 60 %): ${ratio >= 0.6 ? 'met' : 'NOT met'}; server RSS ${(server.rss() / 1048576).toFixed(0)} MiB`);
} finally {
  await server.stop();
  await baseline.stop();
}
