// One HTTP attempt: POST the body, never follow a redirect, give up after the timeout, keep at
// most 1 KiB of the answer. Uses node:http directly so the SSRF guard can own the DNS lookup.
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, resolvePublic, UnsafeTargetError } from './ssrf.js';

export const EXCERPT_BYTES = 1024;
/** Bytes of an answer read before the connection is dropped instead of drained for reuse. */
const DRAIN_BYTES = 64 * 1024;

export interface Outcome {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  excerpt: string | null;
  error: string | null;
  /** Seconds the receiver asked us to wait (Retry-After), when it said so. */
  retryAfterS: number | null;
}

export interface SendOptions { timeoutMs: number; guard: boolean; userAgent: string; now: number }

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

/** UTF-8 text of at most `max` bytes, never ending in half a character. */
export function excerptOf(buf: Buffer, max = EXCERPT_BYTES): string {
  let s = buf.subarray(0, max).toString('utf8');
  while (Buffer.byteLength(s) > max) s = s.slice(0, -1);
  return s.replace(/\uFFFD+$/, '');
}

export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function describe(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timeout after ${timeoutMs} ms`;
  if (err instanceof UnsafeTargetError || (err as NodeJS.ErrnoException)?.code === 'EUNSAFE') return `refused: ${(err as Error).message}`;
  const e = err as NodeJS.ErrnoException;
  return [e?.code, e?.message].filter(Boolean).join(': ').slice(0, 300) || 'request failed';
}

export async function send(url: string, headers: Record<string, string>, body: string, o: SendOptions): Promise<Outcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(o.timeoutMs);
  try {
    const u = new URL(url);
    // An IP literal never reaches the lookup hook, so it is checked here.
    if (o.guard) await resolvePublic(u.hostname);
    const mod = u.protocol === 'https:' ? https : http;
    const res = await new Promise<{ status: number; retryAfter: string | undefined; chunk: Buffer }>((resolve, reject) => {
      const req = mod.request(u, {
        method: 'POST', signal, agent: agents[u.protocol as 'http:' | 'https:'],
        lookup: o.guard ? (guardedLookup as unknown as typeof import('node:dns').lookup) : undefined,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': o.userAgent },
      }, (r) => {
        const parts: Buffer[] = [];
        let size = 0, enough = false;
        r.on('data', (d: Buffer) => {
          if (size < EXCERPT_BYTES) parts.push(d);
          size += d.length;
          if (size > DRAIN_BYTES) { enough = true; r.destroy(); }
        });
        r.on('error', reject);
        r.on('close', () => {
          // The status line decided the outcome; a body cut short by the receiver still counts as
          // failed, one we stopped reading ourselves does not.
          if (r.complete || enough) resolve({ status: r.statusCode ?? 0, retryAfter: r.headers['retry-after'], chunk: Buffer.concat(parts) });
          else reject(signal.aborted ? signal.reason : Object.assign(new Error('connection closed before the response was complete'), { code: 'ECONNRESET' }));
        });
      });
      req.on('error', reject);
      req.end(body);
    });
    const ok = res.status >= 200 && res.status < 300;
    const redirect = res.status >= 300 && res.status < 400;
    return {
      ok, statusCode: res.status, durationMs: elapsed(), excerpt: excerptOf(res.chunk),
      error: ok ? null : redirect ? `HTTP ${res.status}: redirects are not followed` : `HTTP ${res.status}`,
      retryAfterS: parseRetryAfter(res.retryAfter, o.now),
    };
  } catch (err) {
    return { ok: false, statusCode: null, durationMs: elapsed(), excerpt: null, error: describe(err, signal.aborted, o.timeoutMs), retryAfterS: null };
  }
}
