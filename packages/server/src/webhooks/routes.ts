// Thin HTTP layer of webhooks (CONTRACT §8): schemas and calls into WebhookService.
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { errors } from '../kernel/errors.js';
import { ListQuery, Nullable, Timestamp, ctxOf } from '../kernel/schemas.js';
import { MAX_OVERLAP_S } from './service.js';

const Url = Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL of the receiver' });
const EventList = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  minItems: 1, maxItems: 50, description: 'Event types (canonical names or aliases: hatch, peck, cert_issued, tier_change), or ["*"] for all',
});
const Description = Type.String({ maxLength: 256 });
const Status = Type.Union([Type.Literal('enabled'), Type.Literal('disabled')]);

const endpointFields = {
  webhook_id: Type.String(), url: Type.String(), events: Type.Array(Type.String()), description: Nullable(Type.String()),
  status: Status, disabled_reason: Nullable(Type.String()),
  previous_secret_expires_at: Nullable(Type.String({ description: 'While set, the previous secret still signs too' })),
  failing_since: Nullable(Type.String()), created_at: Type.String(), updated_at: Type.String(),
};
const Endpoint = Type.Object(endpointFields);
const WithSecret = Type.Object({ ...endpointFields, secret: Type.String({ description: 'whsec_… — shown only in this response' }) });
const Params = Type.Object({ webhook_id: Type.String({ maxLength: 64 }) });

const attemptFields = {
  attempt_id: Type.String(), webhook_id: Type.String(), event_id: Type.String(), event_type: Type.String(), ok: Type.Boolean(),
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]), status_code: Nullable(Type.Integer()),
  duration_ms: Type.Integer(), response_excerpt: Nullable(Type.String()), error: Nullable(Type.String()), created_at: Type.String(),
};
const Attempt = Type.Object(attemptFields);
const LogEntry = Type.Object({
  ...attemptFields,
  delivery_status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  next_attempt_at: Nullable(Type.String()),
});

/** Endpoints belong to the operator: an agent's credential cannot see or change where events go. */
function operatorOf(request: FastifyRequest): string {
  const p = request.principal!;
  if (p.kind !== 'duckling') throw errors.forbidden('Webhooks are managed by the operator (duckling), not by an agent');
  return p.ducklingId;
}

export async function webhookRoutes(app: App): Promise<void> {
  const svc = app.deps.webhooks;
  const config = { auth: 'required', minTier: 'T1' } as const;
  const tags = ['webhooks'];

  app.post('/beak/webhooks', {
    schema: {
      tags, summary: 'Register a webhook endpoint; the signing secret is shown once',
      body: Type.Object({ url: Url, events: EventList, description: Type.Optional(Description), request_id: Type.Optional(Type.String({ maxLength: 128 })) }),
      response: { 200: WithSecret },
    },
    config: { ...config, idempotent: true },
  }, async (request) => svc.create(operatorOf(request), request.body, ctxOf(request)));

  app.get('/beak/webhooks', {
    schema: { tags, summary: 'List webhook endpoints', querystring: Type.Object(ListQuery), response: { 200: Type.Object({ webhooks: Type.Array(Endpoint), next_cursor: Nullable(Type.String()) }) } },
    config,
  }, async (request) => svc.list(operatorOf(request), request.query));

  app.get('/beak/webhooks/:webhook_id', {
    schema: { tags, summary: 'One webhook endpoint', params: Params, response: { 200: Endpoint } },
    config,
  }, async (request) => svc.get(operatorOf(request), request.params.webhook_id));

  app.patch('/beak/webhooks/:webhook_id', {
    schema: {
      tags, summary: 'Change the URL, events, description or status (re-enabling clears the failure record)', params: Params,
      body: Type.Object({ url: Type.Optional(Url), events: Type.Optional(EventList), description: Type.Optional(Type.Union([Type.Null(), Description])), status: Type.Optional(Status) }, { minProperties: 1 }),
      response: { 200: Endpoint },
    },
    config,
  }, async (request) => svc.update(operatorOf(request), request.params.webhook_id, request.body, ctxOf(request)));

  app.delete('/beak/webhooks/:webhook_id', {
    schema: { tags, summary: 'Delete a webhook endpoint and its delivery log', params: Params, response: { 200: Type.Object({ success: Type.Literal(true), webhook_id: Type.String(), deleted: Type.Literal(true) }) } },
    config,
  }, async (request) => svc.remove(operatorOf(request), request.params.webhook_id, ctxOf(request)));

  app.post('/beak/webhooks/:webhook_id/rotate-secret', {
    schema: {
      tags, summary: 'New signing secret (shown once); the previous one also signs during the overlap (default 24 h)', params: Params,
      body: Type.Object({ overlap_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_OVERLAP_S, description: 'How long the previous secret keeps signing (default 86400)' })) }),
      response: { 200: WithSecret },
    },
    config,
  }, async (request) => svc.rotateSecret(operatorOf(request), request.params.webhook_id, request.body.overlap_seconds, ctxOf(request)));

  app.post('/beak/webhooks/:webhook_id/test', {
    schema: {
      tags, summary: 'Send a sample event now and return the attempt', params: Params,
      body: Type.Object({ event_type: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }),
      response: { 200: Attempt },
    },
    config,
  }, async (request) => svc.test(operatorOf(request), request.params.webhook_id, request.body.event_type));

  app.get('/beak/webhooks/:webhook_id/deliveries', {
    schema: {
      tags, summary: 'The attempts log, newest first', params: Params,
      querystring: Type.Object({
        ...ListQuery, status: Type.Optional(Type.Union([Type.Literal('succeeded'), Type.Literal('failed')])),
        event_id: Type.Optional(Type.String({ maxLength: 64 })),
      }),
      response: { 200: Type.Object({ deliveries: Type.Array(LogEntry), next_cursor: Nullable(Type.String()) }) },
    },
    config,
  }, async (request) => svc.deliveries(operatorOf(request), request.params.webhook_id, request.query));

  app.post('/beak/webhooks/:webhook_id/deliveries/:event_id/replay', {
    schema: {
      tags, summary: 'Send an event to this endpoint again (queued now, retried as usual)',
      params: Type.Object({ webhook_id: Type.String({ maxLength: 64 }), event_id: Type.String({ maxLength: 64 }) }),
      response: { 202: Type.Object({ webhook_id: Type.String(), event_id: Type.String(), event_type: Type.String(), status: Type.Literal('pending') }) },
    },
    config,
  }, async (request, reply) => reply.status(202).send(await svc.replay(operatorOf(request), request.params.webhook_id, request.params.event_id)));

  app.post('/beak/webhooks/:webhook_id/recover', {
    schema: {
      tags, summary: 'Queue again every delivery that failed for good since a time (at most 14 days back)', params: Params,
      body: Type.Object({ since: Timestamp }),
      response: { 202: Type.Object({ webhook_id: Type.String(), since: Type.String(), recovered: Type.Integer() }) },
    },
    config,
  }, async (request, reply) => reply.status(202).send(await svc.recover(operatorOf(request), request.params.webhook_id, Date.parse(request.body.since))));
}
