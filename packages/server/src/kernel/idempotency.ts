// Idempotent creates (CONTRACT §1.6): the same `Idempotency-Key` header (or body `request_id`,
// as seed 002 sends) with the same body within 24 h returns the first response instead of
// creating twice. A placeholder row claims the key first, so two concurrent duplicates cannot
// both run; a 5xx releases the key so the client may retry. Stored responses are sealed: a
// create may return a secret shown once (a Beak Key, a webhook secret).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { seal, sha256hex, unseal } from './crypto.js';
import { AppError, errors } from './errors.js';
import { addRouteHook, renderError } from './http.js';

const WINDOW_MS = 24 * 3600_000;
const IN_FLIGHT = 0;

declare module 'fastify' {
  interface FastifyRequest { idempotencyKey?: string }
}

function keyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  const fromBody = (request.body as { request_id?: unknown } | undefined)?.request_id;
  const raw = typeof header === 'string' && header ? header : typeof fromBody === 'string' && fromBody ? fromBody : undefined;
  if (raw === undefined) return undefined;
  if (raw.length > 255) throw errors.validation('Idempotency-Key is longer than 255 characters');
  const who = request.principal?.id ?? `ip:${request.ip}`;
  return sha256hex(`${who}\n${request.method} ${request.routeOptions.url}\n${raw}`);
}

export function installIdempotency(app: App): void {
  const db = () => app.deps.db.kysely;

  const claim = async (request: FastifyRequest, reply: FastifyReply) => {
    let key: string | undefined;
    try { key = keyOf(request); } catch (err) { return renderError(reply, request, err as AppError); }
    if (!key) return;
    const now = app.deps.clock.now();
    const requestHash = sha256hex(JSON.stringify(request.body ?? null));
    await db().deleteFrom('idempotency_keys').where('key', '=', key).where('created_at', '<', now - WINDOW_MS).execute();
    const claimed = await db().insertInto('idempotency_keys')
      .values({ key, request_hash: requestHash, status_code: IN_FLIGHT, body: '', created_at: now })
      .onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 1) { request.idempotencyKey = key; return; }
    const prior = await db().selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirst();
    if (!prior) return; // released between our two statements: proceed without replay protection
    if (prior.request_hash !== requestHash) return renderError(reply, request, errors.conflict('This idempotency key was already used with a different request body'));
    if (prior.status_code === IN_FLIGHT) return renderError(reply, request, errors.conflict('A request with this idempotency key is still in progress'));
    reply.header('idempotent-replayed', 'true');
    return reply.status(prior.status_code).type('application/json').send(unseal(app.deps.secrets.dataKey, prior.body));
  };

  const remember = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const key = request.idempotencyKey;
    if (!key) return payload;
    if (reply.statusCode >= 500) await db().deleteFrom('idempotency_keys').where('key', '=', key).execute();
    else await db().updateTable('idempotency_keys').set({ status_code: reply.statusCode, body: seal(app.deps.secrets.dataKey, typeof payload === 'string' ? payload : JSON.stringify(payload)) }).where('key', '=', key).execute();
    return payload;
  };

  app.addHook('onRoute', (route) => {
    if (!(route.config as { idempotent?: boolean } | undefined)?.idempotent) return;
    addRouteHook(route, 'preHandler', claim);
    addRouteHook(route, 'onSend', remember);
  });
}
