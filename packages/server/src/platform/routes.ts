// Platform routes of CONTRACT §10 plus the machine-readable contract and the JWKS.
import { Type } from '@sinclair/typebox';
import type { App } from '../app.js';
import { Email, Nullable, ctxOf } from '../kernel/schemas.js';
import { sendJson } from '../kernel/http.js';

const Metrics = Type.Object({
  ducklings: Type.Integer(), registered: Type.Integer(), eggs: Type.Integer(), birth_certificates: Type.Integer(),
  certified: Type.Integer(), connections: Type.Integer(), bonded: Type.Integer(), space_ducks: Type.Integer(),
  bonded_agents: Type.Integer(), agents_alive: Type.Integer(), pecks_completed: Type.Integer(), domains: Type.Integer(),
  galaxy_version: Type.String(),
});

export async function platformRoutes(app: App): Promise<void> {
  const svc = app.deps.platform;

  app.get('/beak/', {
    schema: { tags: ['platform'], summary: 'Service identity', response: { 200: Type.Object({ service: Type.String(), version: Type.String(), galaxy: Type.String(), timestamp: Type.String() }) } },
    config: { requestIdHeader: 'handler' },
  }, async (request, reply) => sendJson(request, reply, svc.aboutJson()));

  app.get('/beak/metrics', {
    schema: { tags: ['platform'], summary: 'Public platform counts (cached up to 5 s)', response: { 200: Metrics } },
    config: { auth: 'optional' },
  }, async () => svc.metrics());

  app.get('/beak/system/status', {
    schema: {
      tags: ['platform'], summary: 'Health of the platform and its dependencies',
      response: {
        200: Type.Object({
          status: Type.Union([Type.Literal('operational'), Type.Literal('degraded'), Type.Literal('outage')]),
          version: Type.String(), lambda_version: Type.String(), agents_alive: Type.Integer(), api_latency_ms: Nullable(Type.Number()),
          uptime_s: Type.Integer(), components: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown())), timestamp: Type.String(),
        }),
      },
    },
  }, async () => svc.status());

  app.post('/beak/newsletter/subscribe', {
    schema: {
      tags: ['platform'], summary: 'Join the waitlist (idempotent)',
      body: Type.Object({ email: Email, partner_type: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }),
      response: { 200: Type.Object({ subscribed: Type.Literal(true) }) },
    },
  }, async (request) => svc.subscribe(request.body.email, request.body.partner_type, ctxOf(request)));

  app.post('/beak/pageview', {
    schema: {
      tags: ['platform'], summary: 'Record a page view',
      body: Type.Object({ page: Type.String({ minLength: 1, maxLength: 2048 }), referrer: Type.Optional(Type.String({ maxLength: 2048 })) }),
      response: { 202: Type.Object({ recorded: Type.Literal(true) }) },
    },
    config: { auth: 'optional' },
  }, async (request, reply) => reply.status(202).send(await svc.pageview(request.body.page, request.body.referrer, ctxOf(request))));

  app.post('/beak/support/contact', {
    schema: {
      tags: ['platform'], summary: 'Open a support ticket; the support address is emailed',
      body: Type.Object({ email: Email, message: Type.String({ minLength: 1, maxLength: 5000 }), subject: Type.Optional(Type.String({ maxLength: 200 })), request_id: Type.Optional(Type.String({ maxLength: 255 })) }),
      response: { 200: Type.Object({ ticket_id: Type.String(), status: Type.String() }) },
    },
    config: { idempotent: true },
  }, async (request) => svc.contact(request.body, ctxOf(request)));

  app.get('/beak/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/.well-known/jwks.json', {
    schema: { tags: ['platform'], summary: 'Public keys for session tokens and birth certificates (EdDSA)' },
  }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return app.deps.signing.jwks();
  });
}
