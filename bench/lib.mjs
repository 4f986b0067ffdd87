// Benchmark harness: start the built server (or a bare Fastify baseline) as a separate process,
// drive it with autocannon, print figures and ratios measured in the same run.
// Run `npm run build` first. Every benchmark stops by itself and talks only to 127.0.0.1.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(root, 'packages/server/dist/cli.js');

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitUp(url, child, ms = 60_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not come up`);
}

function rssOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) * 1024;
  } catch { return NaN; }
}

/** Starts the Space Duck server on a free port with its own data folder (unless env gives one); `nodeArgs` go to node (e.g. --cpu-prof). */
export async function startServer({ env = {}, dataDir, nodeArgs = [], cli = CLI } = {}) {
  const port = await freePort();
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'spaceduck-bench-'));
  const child = spawn(process.execPath, [...nodeArgs, cli, 'serve'], {
    env: {
      PATH: process.env.PATH, SPACEDUCK_PORT: String(port), SPACEDUCK_HOST: '127.0.0.1', SPACEDUCK_DATA_DIR: dir,
      SPACEDUCK_ENV: 'development', SPACEDUCK_PUBLIC_URL: `http://localhost:${port}`, SPACEDUCK_RATE_LIMITS: 'off',
      LOG_LEVEL: 'warn', ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUp(`${url}/beak/`, child);
  return {
    url, pid: child.pid, dataDir: dir,
    rss: () => rssOf(child.pid),
    async stop() {
      if (child.exitCode === null) { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); }
      if (!dataDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A bare Fastify "hello" server in its own process: the ceiling our routes are compared with. */
export async function startBaseline() {
  const port = await freePort();
  const code = `
    const fastify = require(${JSON.stringify(path.join(root, 'node_modules/fastify'))})({ logger: false });
    fastify.get('/', async () => ({ hello: 'world' }));
    // The same body as GET /beak/, so a ratio can separate our per-request work from payload size.
    fastify.get('/about', async () => ({ service: 'spaceduck', version: '0.1.0', galaxy: '1.2', timestamp: new Date().toISOString().replace(/\\.\\d{3}Z$/, 'Z') }));
    fastify.post('/', async (req) => ({ ok: true, n: Object.keys(req.body ?? {}).length }));
    fastify.listen({ port: ${port}, host: '127.0.0.1' });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitUp(`${url}/`, child);
  return { url, pid: child.pid, async stop() { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); } };
}

/**
 * One autocannon run. `requests` (optional) is an autocannon request list, e.g. to rotate
 * through many Beak Keys; `setupClient` likewise.
 */
export function load({ url, method = 'GET', headers = {}, body, requests, setupClient, connections = 50, duration = 10 }) {
  return new Promise((resolve, reject) => {
    let inst = null;
    const stop = () => inst?.stop();
    process.once('SIGINT', stop);
    inst = autocannon({
      url, method, headers, body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
      requests, setupClient, connections, duration,
    }, (err, r) => {
      process.off('SIGINT', stop);
      if (err) return reject(err);
      resolve({
        rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max,
        errors: r.errors + r.timeouts, non2xx: r.non2xx, total: r.requests.total,
      });
    });
  });
}

/** Prints rows of { name, rps, p50, p99, … } with the ratio of each to the first row. */
export function report(title, rows) {
  const base = rows[0]?.rps;
  console.log(`\n${title}  (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString().slice(0, 10)})`);
  console.log('name'.padEnd(44) + 'req/s'.padStart(10) + 'p50 ms'.padStart(9) + 'p99 ms'.padStart(9) + 'non2xx'.padStart(8) + 'ratio'.padStart(8));
  for (const r of rows) {
    console.log(r.name.padEnd(44) + r.rps.toFixed(0).padStart(10) + String(r.p50).padStart(9) + String(r.p99).padStart(9)
      + String(r.non2xx ?? 0).padStart(8) + (base ? (r.rps / base).toFixed(2) : '-').padStart(8));
  }
}

export const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;

/** Reads the newest code the development mailbox holds for `to`. */
export async function devOtp(url, to) {
  for (let i = 0; i < 50; i++) {
    const r = await (await fetch(`${url}/beak/dev/mail?to=${encodeURIComponent(to)}`)).json();
    const m = (r.messages ?? []).find((x) => x.otp);
    if (m) return m.otp;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`no code for ${to}`);
}

/** signup + verify over HTTP; returns the verify body (beak_key, access_token, …). */
export async function hatch(url, email = `bench${Math.random().toString(36).slice(2)}@example.com`) {
  const post = (p, body) => fetch(url + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  await post('/beak/signup', { email, password: 'bench password 123' });
  const v = await post('/beak/verify', { email, code: await devOtp(url, email) });
  return { ...v, email, password: 'bench password 123' };
}
