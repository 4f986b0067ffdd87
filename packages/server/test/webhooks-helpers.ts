// A real HTTP receiver on loopback for webhook tests: records every request and answers as the
// test tells it to (status, headers, delay), and tracks concurrent requests per webhook-id.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received { path: string; headers: http.IncomingHttpHeaders; body: string; id: string; type: string; at: number }
export interface Answer { status?: number; headers?: Record<string, string>; body?: string; delayMs?: number }

export interface Receiver {
  url: string;
  got: Received[];
  /** How to answer each request (default 200 "ok"); may be async. */
  answer: (r: Received) => Answer | Promise<Answer>;
  /** Requests that have arrived and are not answered yet, per webhook-id, and the most ever seen at once. */
  maxConcurrentPerId: number;
  inflight: number;
  on(path: string): Received[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const live = new Map<string, number>();
  const rcv: Receiver = {
    url: '', got: [], answer: () => ({}), maxConcurrentPerId: 0, inflight: 0,
    on: (path) => rcv.got.filter((g) => g.path.startsWith(path)),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id'] ?? '');
      let type = String(req.headers['x-spaceduck-event'] ?? '');
      try { type ||= JSON.parse(body).type; } catch { /* not JSON */ }
      const r: Received = { path: req.url ?? '/', headers: req.headers, body, id, type, at: Date.now() };
      rcv.got.push(r);
      live.set(id, (live.get(id) ?? 0) + 1);
      rcv.inflight++;
      rcv.maxConcurrentPerId = Math.max(rcv.maxConcurrentPerId, live.get(id)!);
      try {
        const a = await rcv.answer(r);
        if (a.delayMs) await new Promise((s) => setTimeout(s, a.delayMs));
        if (!res.destroyed) res.writeHead(a.status ?? 200, a.headers ?? {}).end(a.body ?? 'ok');
      } finally {
        live.set(id, live.get(id)! - 1);
        rcv.inflight--;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rcv.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return rcv;
}

export { until } from './harness.js';
