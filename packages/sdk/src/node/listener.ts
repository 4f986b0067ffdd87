// A local webhook receiver (what `spaceduck webhook listen` runs): verifies each delivery's
// Standard Webhooks signature, hands the event to a callback, and optionally forwards the
// original request to your own handler, answering the platform with your handler's status —
// so retries and the delivery log behave exactly as they will in production.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook, type WebhookEvent } from '../webhooks.js';
import { WebhookVerificationError } from '../errors.js';

export interface Delivery {
  event: WebhookEvent;
  raw: string;
  headers: http.IncomingHttpHeaders;
  /** The forward target's answer, when forwarding. */
  forwarded?: { status: number; durationMs: number } | { error: string };
}

export interface ListenOptions {
  port?: number;
  host?: string;
  /** The endpoint's `whsec_…` secret. May be set later with `setSecret` (register after listening). */
  secret?: string;
  /** Forward verified deliveries (original body and headers) to this URL. */
  forwardTo?: string;
  onDelivery?: (d: Delivery) => void;
  /** A delivery that failed verification (bad signature, stale timestamp…). */
  onRejected?: (reason: string, headers: http.IncomingHttpHeaders) => void;
  /** Largest accepted body (default 1 MiB). */
  maxBodyBytes?: number;
}

export interface Listener {
  url: string;
  port: number;
  setSecret(secret: string): void;
  close(): Promise<void>;
}

const FORWARDED = ['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-spaceduck-event', 'x-spaceduck-signature', 'user-agent'];

export async function listenForWebhooks(options: ListenOptions): Promise<Listener> {
  let secret = options.secret;
  const limit = options.maxBodyBytes ?? 1024 * 1024;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) { res.writeHead(413).end(); req.destroy(); } else chunks.push(c);
    });
    req.on('end', async () => {
      if (res.writableEnded) return;
      if (req.method !== 'POST') { res.writeHead(405, { allow: 'POST' }).end(); return; }
      // Not ready yet (the endpoint is being registered): the platform retries.
      if (!secret) { res.writeHead(503, { 'retry-after': '1' }).end(); return; }
      const raw = Buffer.concat(chunks).toString('utf8');
      let event: WebhookEvent;
      try {
        event = await verifyWebhook(raw, req.headers as Record<string, string>, secret);
      } catch (err) {
        const reason = err instanceof WebhookVerificationError ? err.message : String(err);
        options.onRejected?.(reason, req.headers);
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`rejected: ${reason}\n`);
        return;
      }
      const delivery: Delivery = { event, raw, headers: req.headers };
      let status = 200;
      if (options.forwardTo) {
        const started = Date.now();
        const headers: Record<string, string> = {};
        for (const h of FORWARDED) { const v = req.headers[h]; if (typeof v === 'string') headers[h] = v; }
        try {
          const r = await fetch(options.forwardTo, { method: 'POST', headers, body: raw, signal: AbortSignal.timeout(15_000) });
          await r.arrayBuffer();
          status = r.status;
          delivery.forwarded = { status: r.status, durationMs: Date.now() - started };
        } catch (err) {
          status = 502;
          delivery.forwarded = { error: (err as Error).message };
        }
      }
      options.onDelivery?.(delivery);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok\n' : 'forward target failed\n');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    setSecret(s) { secret = s; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
