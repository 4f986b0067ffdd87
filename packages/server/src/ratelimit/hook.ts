// Applies the rate-limit table to every route by its registered pattern, and writes the
// X-RateLimit-* and IETF RateLimit-Policy / RateLimit fields (draft-ietf-httpapi-ratelimit-headers-11).
//
// Ordering with the auth hook (preValidation, registered first):
//  - routes without `config.auth` are anonymous: limited in onRequest, before the body is read
//    (a token spent on a request then rejected as bad input is given back in onSend);
//  - routes with `config.auth` are limited in preValidation, once the caller is known (the
//    principal's bucket by tier, else the client IP's);
//  - a refused credential is answered 401 by the auth hook before that, so refusals (on any
//    route, the administrator's included) are counted per IP (onSend) and an address over its
//    allowance is turned away in onRequest, before its next credential is even looked at.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { errors } from '../kernel/errors.js';
import { addRouteHook, renderError } from '../kernel/http.js';
import { presentedCredential } from '../sessions/resolver.js';
import { addressKey } from './ip.js';
import type { Spent, Verdict } from './limiter.js';

const perToken = (b: Spent) => b.windowMs / b.limit;
const secs = (ms: number) => Math.max(0, Math.ceil(ms / 1000 - 1e-9));
const remaining = (s: Spent) => Math.max(0, Math.floor(s.tokens + 1e-9));

/** The bucket the client should watch: the one that refused, else the one with the least left. */
function binding(v: Verdict): Spent {
  const wait = (b: Spent) => Math.max(0, 1 - b.tokens) * perToken(b);
  const untilFull = (b: Spent) => (b.capacity - b.tokens) * perToken(b);
  return v.buckets.reduce((a, b) => {
    if (!v.allowed) return wait(b) > wait(a) ? b : a;
    const [ra, rb] = [remaining(a), remaining(b)];
    return rb < ra || (rb === ra && untilFull(b) > untilFull(a)) ? b : a;
  });
}

export function rateLimitHeaders(v: Verdict): { headers: Record<string, string>; retryAfterSeconds: number } {
  const b = binding(v);
  // Seconds until `r` next grows: within them the client can use no more than `r` (draft §4.1.2).
  const nextToken = (s: Spent) => (s.tokens >= s.capacity ? 0 : secs((remaining(s) + 1 - s.tokens) * perToken(s)));
  const headers = {
    // Limit is the bucket size, so Remaining never exceeds it and Reset is when Remaining = Limit
    // again (seed 001: "your quota is fully restored").
    'x-ratelimit-limit': String(b.capacity),
    'x-ratelimit-remaining': String(remaining(b)),
    'x-ratelimit-reset': String(Math.ceil((v.now + (b.capacity - b.tokens) * perToken(b)) / 1000)),
    // q tokens per w seconds is exactly the bucket: its size, and the time to refill it from empty.
    'ratelimit-policy': v.buckets.map((s) => `"${s.policy}";q=${s.capacity};w=${Math.max(1, secs(s.capacity * perToken(s)))}`).join(', '),
    'ratelimit': v.buckets.map((s) => `"${s.policy}";r=${remaining(s)};t=${nextToken(s)}`).join(', '),
  };
  const retryAfterMs = v.allowed ? 0 : Math.max(...v.buckets.map((s) => Math.max(0, 1 - s.tokens) * perToken(s)));
  return { headers, retryAfterSeconds: Math.max(1, secs(retryAfterMs)) };
}

/** Tokens spent on requests that have not reached their handler yet (see the refund below). */
const pending = new WeakMap<FastifyRequest, Verdict>();

function apply(request: FastifyRequest, reply: FastifyReply, v: Verdict | null, spent = true): FastifyReply | undefined {
  if (!v) return undefined;
  const { headers, retryAfterSeconds } = rateLimitHeaders(v);
  reply.headers(headers);
  if (v.allowed) {
    if (spent) pending.set(request, v);
    return undefined;
  }
  return renderError(reply, request, errors.rateLimited(retryAfterSeconds, `Too many requests; retry in ${retryAfterSeconds} s`));
}

/**
 * Before the body is parsed: does this request carry a credential? On routes that read one
 * from the body (`config.auth`, CONTRACT §1.2) any body might hold a `beak_key`.
 */
function mayCarryCredential(request: FastifyRequest, bodyToo: boolean): boolean {
  const h = request.headers;
  if (h.authorization !== undefined || h['x-beak-key'] !== undefined) return true;
  if ((request.query as { beak_key?: unknown } | undefined)?.beak_key !== undefined) return true;
  return bodyToo && ((h['content-length'] !== undefined && h['content-length'] !== '0') || h['transfer-encoding'] !== undefined);
}

function presented(request: FastifyRequest): boolean {
  try {
    return presentedCredential(request) !== undefined;
  } catch {
    return true; // a malformed Authorization header is a presented (and refused) credential
  }
}

export function installRateLimits(app: App): void {
  const limiter = app.deps.ratelimit;
  if (!limiter.table) return;
  const authOf = (request: FastifyRequest) => request.routeOptions.config?.auth;
  const addressOf = (request: FastifyRequest) => addressKey(request.ip);

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.rateLimit === false) return;
    const auth = authOf(request);
    if (mayCarryCredential(request, !!auth)) {
      const refused = apply(request, reply, await limiter.credentialGuard(addressOf(request)), false);
      if (refused) return refused;
    }
    if (auth) return; // limited in preValidation, once the caller is known
    const route = limiter.route(request.routeOptions.url);
    return apply(request, reply, await limiter.check({ route, address: addressOf(request), method: request.method }));
  });

  // After the auth hook on the same route (its onRoute ran first), so the principal is known.
  const byPrincipal = async (request: FastifyRequest, reply: FastifyReply) => {
    const route = limiter.route(request.routeOptions.url);
    return apply(request, reply, await limiter.check({ route, principal: request.principal, address: addressOf(request), method: request.method }));
  };
  app.addHook('onRoute', (route) => {
    const config = route.config as { auth?: string; rateLimit?: false } | undefined;
    if (config?.auth && config.rateLimit !== false) addRouteHook(route, 'preValidation', byPrincipal);
  });

  // Parsed and valid: from here on the request counts, whatever its outcome.
  app.addHook('preHandler', async (request) => {
    pending.delete(request);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const status = reply.statusCode;
    // Rejected as bad input before its handler (malformed JSON, too large, wrong type, failing
    // its schema): bad input changes nothing (CONTRACT §1.5), so the token goes back. A client
    // over its limit is still refused before its body is read.
    const v = pending.get(request);
    if (v && (status === 400 || status === 413 || status === 415)) await limiter.refund(v);
    // Any route's 401 to a presented credential: a Beak Key, a session, the administrator token.
    if (status === 401 && presented(request)) await limiter.credentialRefused(addressOf(request));
    return payload;
  });
}
