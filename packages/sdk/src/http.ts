// The transport under every call: JSON in and out, the credential, a per-attempt timeout, and
// retries with exponential backoff and full jitter.
//
// What is retried (docs/decisions/sdk.md):
// - 429 and 503: the server refused before doing anything; always safe. `Retry-After` (seconds
//   or an HTTP date) is honoured; a wait longer than `maxRetryAfterMs` is not slept through but
//   surfaces as RateLimitError/ServerError with `retryAfterMs`, so a caller never hangs silently.
// - network failures and timeouts: only when repeating cannot do something twice — GET, HEAD,
//   PUT, DELETE, or a POST that carries an Idempotency-Key (creates always do). A lost answer to
//   `POST /beak/rotate` must not be retried: the first call may have rotated the key already.
import { NetworkError, TimeoutError, apiError } from './errors.js';
import { randomId } from './encoding.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  method: string;
  path: string;
  /** The status that caused the retry, or the network error. */
  reason: number | Error;
}

export interface TransportOptions {
  /** Where the server lives, e.g. `http://127.0.0.1:8080` (the API's paths start with /beak). */
  baseUrl: string;
  /** A Beak Key (`bk_…`) or a session token (`eyJ…`), sent as `Authorization: Bearer`. */
  credential?: string;
  /** Defaults to the global fetch (Node ≥ 18, browsers); inject one for proxies or tests. */
  fetch?: FetchLike;
  /** Per attempt, in milliseconds (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). 0 turns retrying off. */
  maxRetries?: number;
  /** First backoff step (default 500 ms), doubled per attempt up to `retryMaxDelayMs` (default 10 s). */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** The longest `Retry-After` the client sleeps through (default 60 s). */
  maxRetryAfterMs?: number;
  /** Called before each retry (progress output, metrics). */
  onRetry?: (info: RetryInfo) => void;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send the credential (default true). */
  auth?: boolean;
  /** `true` draws a fresh key for this call (reused across its retries); a string is used as is. */
  idempotencyKey?: string | boolean;
  /** Answers with these statuses are returned instead of thrown (e.g. 404 on certificate lookups). */
  acceptStatus?: number[];
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RawResponse<T> { status: number; headers: Headers; body: T }

const SAFE_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Milliseconds from a Retry-After value (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Full jitter: uniformly random in [0, min(max, base·2^attempt)] (attempt counts from 0). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  return Math.round(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => { clearTimeout(timer); reject(signal!.reason); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class Transport {
  credential: string | undefined;
  readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly opts: Required<Pick<TransportOptions, 'timeoutMs' | 'maxRetries' | 'retryBaseDelayMs' | 'retryMaxDelayMs' | 'maxRetryAfterMs'>> & TransportOptions;

  constructor(options: TransportOptions) {
    if (!options.baseUrl) throw new TypeError('baseUrl is required, e.g. http://127.0.0.1:8080');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.credential = options.credential;
    const f = options.fetch ?? (globalThis.fetch as FetchLike | undefined);
    if (!f) throw new TypeError('No fetch implementation: pass options.fetch');
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.opts = { timeoutMs: 30_000, maxRetries: 3, retryBaseDelayMs: 500, retryMaxDelayMs: 10_000, maxRetryAfterMs: 60_000, ...options };
  }

  url(path: string, query?: RequestOptions['query']): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) qs.set(k, String(v));
    const s = qs.toString();
    return `${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}${s ? `?${s}` : ''}`;
  }

  async request<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    return (await this.raw<T>(method, path, o)).body;
  }

  async raw<T>(method: string, path: string, o: RequestOptions = {}): Promise<RawResponse<T>> {
    method = method.toUpperCase();
    const headers: Record<string, string> = { accept: 'application/json', ...this.opts.headers, ...o.headers };
    if (o.auth !== false && this.credential) headers.authorization = `Bearer ${this.credential}`;
    let body: string | undefined;
    if (o.body !== undefined) { body = JSON.stringify(o.body); headers['content-type'] = 'application/json'; }
    if (o.idempotencyKey) headers['idempotency-key'] = o.idempotencyKey === true ? randomId() : o.idempotencyKey;
    const replayable = SAFE_METHODS.has(method) || !!headers['idempotency-key'];
    const url = this.url(path, o.query);
    const where = { method, path };

    for (let attempt = 0; ; attempt++) {
      const retriesLeft = attempt < this.opts.maxRetries;
      let res: { status: number; ok: boolean; headers: Headers; text: string };
      try {
        res = await this.once(url, { method, headers, body }, o.timeoutMs ?? this.opts.timeoutMs, o.signal);
      } catch (err) {
        if (o.signal?.aborted) throw o.signal.reason;
        if (!retriesLeft || !replayable) throw err;
        const delayMs = backoffDelay(attempt, this.opts.retryBaseDelayMs, this.opts.retryMaxDelayMs);
        this.opts.onRetry?.({ attempt: attempt + 1, delayMs, method, path, reason: err as Error });
        await sleep(delayMs, o.signal);
        continue;
      }
      const text = res.text;
      let parsed: unknown = undefined;
      if (text) { try { parsed = JSON.parse(text); } catch { parsed = text; } }
      if (res.ok || o.acceptStatus?.includes(res.status)) return { status: res.status, headers: res.headers, body: parsed as T };

      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      if ((res.status === 429 || res.status === 503) && retriesLeft && (retryAfterMs ?? 0) <= this.opts.maxRetryAfterMs) {
        // Honour the server's wait, plus up to 10 % so a crowd of clients does not return in step.
        const delayMs = retryAfterMs !== undefined
          ? retryAfterMs + Math.round(Math.random() * Math.min(1000, retryAfterMs * 0.1))
          : backoffDelay(attempt, this.opts.retryBaseDelayMs, this.opts.retryMaxDelayMs);
        this.opts.onRetry?.({ attempt: attempt + 1, delayMs, method, path, reason: res.status });
        await sleep(delayMs, o.signal);
        continue;
      }
      throw apiError(res.status, parsed, where, res.headers.get('x-request-id') ?? undefined, retryAfterMs);
    }
  }

  private async once(url: string, init: RequestInit, timeoutMs: number, signal?: AbortSignal): Promise<{ status: number; ok: boolean; headers: Headers; text: string }> {
    const ctl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; ctl.abort(); }, timeoutMs);
    const onAbort = () => ctl.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await this.fetchImpl(url, { ...init, signal: ctl.signal });
      // Read the body under the same timer: a server that stalls mid-body is a timeout too.
      return { status: res.status, ok: res.ok, headers: res.headers, text: await res.text() };
    } catch (err) {
      if (timedOut) throw new TimeoutError(`${init.method} ${url.replace(/\?.*/, '')} timed out after ${timeoutMs} ms`);
      if (signal?.aborted) throw err;
      throw new NetworkError(`${init.method} ${url.replace(/\?.*/, '')} failed: ${(err as Error)?.message ?? err}`, { cause: err });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

