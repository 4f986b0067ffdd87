// The web console's static serving against a bare Fastify baseline in the same run, plus the
// size of the JavaScript the first page loads (gzipped; budget 250 KB).
//   npm run build && node bench/console.mjs [--duration 5] [--connections 50]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { startBaseline, startServer, load, report } from './lib.mjs';

const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const duration = arg('duration', 5), connections = arg('connections', 50);

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../packages/console/dist');
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const scripts = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const gz = scripts.reduce((n, s) => n + zlib.gzipSync(fs.readFileSync(path.join(dist, s)), { level: 9 }).length, 0);
const br = scripts.reduce((n, s) => n + fs.statSync(path.join(dist, `${s}.br`)).size, 0);

const page = { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' };
const baseline = await startBaseline();
const server = await startServer();
try {
  await load({ url: `${baseline.url}/`, duration: 1, connections });
  await load({ url: `${server.url}/`, headers: page, duration: 1, connections });
  const rows = [
    { name: 'bare Fastify GET / (baseline)', ...(await load({ url: `${baseline.url}/`, duration, connections })) },
    { name: 'GET / (index.html, br)', ...(await load({ url: `${server.url}/`, headers: page, duration, connections })) },
    { name: 'GET /cert/cert_x (SPA fallback, br)', ...(await load({ url: `${server.url}/cert/cert_x`, headers: page, duration, connections })) },
    { name: `GET /${scripts[0]} (${(br / 1024).toFixed(0)} KB br)`, ...(await load({ url: `${server.url}/${scripts[0]}`, headers: { 'accept-encoding': 'br' }, duration, connections })) },
  ];
  report(`web console, ${connections} connections, ${duration} s each`, rows);
  console.log(`\ninitial route JavaScript: ${(gz / 1024).toFixed(1)} KB gzipped, ${(br / 1024).toFixed(1)} KB brotli (budget 250 KB gzipped): ${gz <= 250 * 1024 ? 'met' : 'NOT met'}`);
} finally {
  await server.stop();
  await baseline.stop();
}
