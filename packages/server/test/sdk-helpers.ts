// Shared by the SDK and CLI tests: the harness app on a real socket, and small local servers
// that misbehave on purpose (429/503 first, stall, drop the connection).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeApp, type TestApp } from './harness.js';
import { ManualClock } from '../src/kernel/clock.js';

export interface LiveApp extends TestApp { url: string }

/**
 * The real app listening on 127.0.0.1. The clock starts at the real time (and stays there), so
 * things judged against the wall clock — webhook timestamps, certificate times — line up.
 */
export async function liveApp(env: Record<string, string> = {}): Promise<LiveApp> {
  const t = await makeApp({ SPACEDUCK_WEBHOOK_ALLOW_PRIVATE: 'true', ...env }, { clock: new ManualClock(Date.now()) });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  return Object.assign(t, { url: `http://127.0.0.1:${port}` });
}

export interface Scripted {
  url: string;
  hits: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string; at: number }>;
  close(): Promise<void>;
}

/** A local server whose nth answer is `script(n, req)`: `[status, headers, body]`, `'drop'` or `'stall'`. */
export async function scripted(script: (n: number, req: http.IncomingMessage) => [number, Record<string, string>, string] | 'drop' | 'stall'): Promise<Scripted> {
  const hits: Scripted['hits'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      hits.push({ method: req.method!, url: req.url!, headers: req.headers, body, at: Date.now() });
      const answer = script(hits.length, req);
      if (answer === 'drop') { req.socket.destroy(); return; }
      if (answer === 'stall') return;
      const [status, headers, text] = answer;
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export const envelope = (status: number, code: string, error: string, message: string) =>
  JSON.stringify({ error, message, code, request_id: `req_${status}` });

/** Polls until `get` returns something truthy, or fails after `ms`. */
export { until as eventually } from './harness.js';
