// Password sign-in throughput (POST /beak/signin) beside the raw argon2id verification rate
// measured in the same run with the same parameters (OWASP: m=19456 KiB, t=2, p=1): sign-in
// cannot beat the hash, so the ratio says how much of the hash budget the rest of the request
// costs. While sign-ins saturate the server, a single connection keeps calling GET /beak/: its
// latency shows whether hashing blocks the event loop (it runs on the thread pool, so it should not).
//   node bench/signin.mjs [--duration 10] [--connections 16]
// Needs `npm run build` first.
import os from 'node:os';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import { hatch, load, startServer } from './lib.mjs';

const argv = process.argv.slice(2);
const arg = (name, def) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : def; };
const duration = Number(arg('duration', 10));
// One account per connection: the lockout counts attempts in flight, so one account signing in
// 16 times at once is not the traffic this measures.
const connections = Number(arg('connections', 16));

/** argon2id verifications per second with `parallel` in flight (the libuv pool runs them). */
async function argonRate(seconds, parallel) {
  const password = 'bench password 123';
  const stored = await hash(password, { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  let done = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (performance.now() < end) { if (!(await verify(stored, password))) throw new Error('verify failed'); done++; }
  }));
  return done / seconds;
}

const fmt = (n, d = 0) => n.toFixed(d).padStart(10);

const server = await startServer({ env: { LOG_LEVEL: 'error' } });
try {
  const accounts = [];
  for (let i = 0; i < connections; i++) accounts.push(await hatch(server.url));

  const raw = await argonRate(Math.min(5, duration), Math.max(4, os.availableParallelism()));
  const idle = await load({ url: `${server.url}/beak/`, connections: 1, duration: 3 });

  let next = 0;
  const [signin, probe] = await Promise.all([
    load({
      url: `${server.url}/beak/signin`, method: 'POST', headers: { 'content-type': 'application/json' }, connections, duration,
      setupClient: (client) => {
        const a = accounts[next++ % accounts.length];
        client.setBody(JSON.stringify({ email: a.email, password: a.password }));
      },
    }),
    load({ url: `${server.url}/beak/`, connections: 1, duration }),
  ]);

  console.log(`\nPassword sign-in vs raw argon2id  (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString().slice(0, 10)})`);
  console.log('measure'.padEnd(52) + 'per s'.padStart(10) + 'p50 ms'.padStart(10) + 'p99 ms'.padStart(10) + 'non2xx'.padStart(8));
  console.log('argon2id verify, in-process (m=19456,t=2,p=1)'.padEnd(52) + fmt(raw) + ''.padStart(10) + ''.padStart(10) + ''.padStart(8));
  console.log(`POST /beak/signin, ${connections} connections`.padEnd(52) + fmt(signin.rps) + fmt(signin.p50) + fmt(signin.p99) + String(signin.non2xx).padStart(8));
  console.log('GET /beak/ idle, 1 connection'.padEnd(52) + fmt(idle.rps) + fmt(idle.p50) + fmt(idle.p99) + String(idle.non2xx).padStart(8));
  console.log('GET /beak/ during the sign-in load, 1 connection'.padEnd(52) + fmt(probe.rps) + fmt(probe.p50) + fmt(probe.p99) + String(probe.non2xx).padStart(8));
  console.log(`\nsign-in / raw argon2id: ${(signin.rps / raw).toFixed(2)}   GET /beak/ p99 under load: ${probe.p99} ms (idle ${idle.p99} ms)`);
  if (signin.non2xx || signin.errors) console.log(`warning: ${signin.non2xx} non-2xx and ${signin.errors} errors during sign-in load`);
} finally {
  await server.stop();
}
