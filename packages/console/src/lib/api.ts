// The only way the console talks to the server: the public JSON API under /beak, with the
// session token as a bearer credential. Every failure becomes an ApiError carrying the
// envelope's readable message (CONTRACT §1.5).
import { clearSession, getSession } from './session';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details?: { field: string; message: string }[],
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export interface ApiOptions {
  body?: unknown;
  /** Send the session token (default: when signed in). */
  auth?: boolean;
  /** Creates something: send an Idempotency-Key so a double submit cannot create twice. */
  idempotent?: boolean;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export function authHeaders(): Record<string, string> {
  const s = getSession();
  return s ? { authorization: `Bearer ${s.token}` } : {};
}

export async function api<T = any>(method: string, path: string, opts: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  const session = opts.auth === false ? null : getSession();
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.idempotent) headers['idempotency-key'] = crypto.randomUUID();
  let res: Response;
  try {
    res = await fetch(path, {
      method, headers, signal: opts.signal, cache: 'no-store', credentials: 'omit',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError('Cannot reach the Space Duck server. Check your connection and try again.', 0, 'NETWORK');
  }
  const text = await res.text();
  let body: any = null;
  try { body = text ? JSON.parse(text) : {}; } catch { /* not JSON */ }
  if (res.ok) return (body ?? {}) as T;
  // A session that stopped working (expired, signed out elsewhere, account suspended).
  if (res.status === 401 && session && getSession() === session) clearSession('Your session has ended. Please sign in again.');
  throw toError(res, body);
}

function toError(res: Response, body: any): ApiError {
  const retry = Number(res.headers.get('retry-after')) || undefined;
  if (res.status === 404 && typeof body?.message === 'string' && body.message.startsWith('No route for')) {
    return new ApiError('This feature is not available on this server yet.', 404, 'E4040');
  }
  if (body && typeof body.message === 'string') {
    let msg = body.message as string;
    if (res.status === 429 && retry) msg += ` Try again in ${retry < 120 ? `${retry} s` : `${Math.ceil(retry / 60)} min`}.`;
    return new ApiError(msg, res.status, body.code ?? String(res.status), Array.isArray(body.details) ? body.details : undefined, retry);
  }
  if (res.status === 404) return new ApiError('This feature is not available on this server yet.', 404, 'E4040');
  return new ApiError(`The server answered ${res.status} ${res.statusText || ''}`.trim() + '.', res.status, String(res.status));
}

/** Human text for any thrown value. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof DOMException && err.name === 'NotAllowedError') return 'The request was cancelled or timed out.';
  return err instanceof Error ? err.message : String(err);
}
