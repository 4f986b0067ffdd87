// /beak/admin/* — administration over HTTP (CONTRACT §12). Exists only when SPACEDUCK_ADMIN_TOKEN
// is set; every route demands that token as a Bearer credential, compared in constant time.
import { Type } from '@sinclair/typebox';
import type { App } from '../app.js';
import { errors } from '../kernel/errors.js';
import { renderError } from '../kernel/http.js';
import { ListQuery, Nullable, ctxOf } from '../kernel/schemas.js';
import { isAdmin } from './auth.js';
import { AdminService } from './service.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const TierName = Type.Union([Type.Literal('T1'), Type.Literal('T2'), Type.Literal('T3')]);

const Duckling = Type.Object({
  duckling_id: Type.String(), email: Type.String(), display_name: Type.String(), trust_tier: Type.String(), status: Type.String(),
  email_verified: Type.Boolean(), phone_verified: Type.Boolean(), directory_visible: Type.Boolean(), created_at: Type.String(),
  verified_at: Nullable(Type.String()), suspended_at: Nullable(Type.String()), suspend_reason: Nullable(Type.String()),
});

const Ticket = Type.Object({
  ticket_id: Type.String(), email: Type.String(), subject: Nullable(Type.String()), message: Type.String(), status: Type.String(), created_at: Type.String(),
});

const Next = Nullable(Type.String());

export async function adminRoutes(app: App): Promise<void> {
  if (!app.deps.config.adminToken) return; // administration off: the routes do not exist
  const svc = new AdminService(app.deps);
  const tags = ['admin'];
  const security = [{ bearer: [] }];

  // Before body parsing and validation: a caller without the token learns nothing about the API.
  app.addHook('onRequest', async (request, reply) => {
    if (!isAdmin(request, app.deps.config)) return renderError(reply, request, errors.unauthorized('Administrator token required'));
  });

  app.get('/beak/admin/ducklings', {
    schema: {
      tags, security, summary: 'List and search ducklings (newest first)',
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 254, description: 'Part of an email or display name, or a duckling id' })),
        tier: Type.Optional(Type.Union([Type.Literal('T0'), TierName])),
        status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('suspended')])),
        verified: Type.Optional(Type.Boolean()), ...ListQuery,
      }),
      response: { 200: Type.Object({ ducklings: Type.Array(Duckling), next_cursor: Next }) },
    },
  }, async (request) => svc.ducklings(request.query));

  app.get('/beak/admin/ducklings/:duckling_id', {
    schema: {
      tags, security, summary: 'One duckling, with certificate, agents, sessions and passkeys',
      params: Type.Object({ duckling_id: Id }),
      response: {
        200: Type.Composite([Duckling, Type.Object({
          cert_id: Nullable(Type.String()), cert_status: Type.String(), egg_count: Type.Integer(), active_sessions: Type.Integer(), passkeys: Type.Integer(),
        })]),
      },
    },
  }, async (request) => svc.duckling(request.params.duckling_id));

  app.route({
    method: ['POST', 'PUT'], url: '/beak/admin/ducklings/:duckling_id/tier',
    schema: {
      tags, security, summary: 'Set the trust tier (the only way to T3); re-issues the birth certificate',
      params: Type.Object({ duckling_id: Id }), body: Type.Object({ tier: TierName }),
      response: {
        200: Type.Object({ duckling_id: Type.String(), email: Type.String(), previous_tier: Type.String(), trust_tier: Type.String(), cert_id: Nullable(Type.String()) }),
      },
    },
    handler: async (request) => svc.setTier({ duckling_id: request.params.duckling_id }, request.body.tier, ctxOf(request)),
  });

  app.post('/beak/admin/ducklings/:duckling_id/suspend', {
    schema: {
      tags, security, summary: 'Suspend: sessions revoked now, Beak Keys refused while suspended',
      params: Type.Object({ duckling_id: Id }), body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 280 })) }),
      response: { 200: Duckling },
    },
  }, async (request) => svc.setSuspended({ duckling_id: request.params.duckling_id }, true, request.body.reason ?? null, ctxOf(request)));

  app.post('/beak/admin/ducklings/:duckling_id/unsuspend', {
    schema: { tags, security, summary: 'Lift a suspension', params: Type.Object({ duckling_id: Id }), response: { 200: Duckling } },
  }, async (request) => svc.setSuspended({ duckling_id: request.params.duckling_id }, false, null, ctxOf(request)));

  app.get('/beak/admin/newsletter', {
    schema: {
      tags, security, summary: 'Newsletter / waitlist sign-ups (JSON, by email)', querystring: Type.Object({ ...ListQuery }),
      response: {
        200: Type.Object({ subscribers: Type.Array(Type.Object({ email: Type.String(), partner_type: Nullable(Type.String()), created_at: Type.String() })), next_cursor: Next }),
      },
    },
  }, async (request) => svc.newsletter(request.query.limit, request.query.cursor));

  app.get('/beak/admin/newsletter.csv', {
    schema: { tags, security, summary: 'Export every newsletter sign-up as CSV' },
  }, async (_request, reply) => {
    reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="newsletter.csv"');
    let body = '';
    for await (const chunk of svc.newsletterCsv()) body += chunk;
    return body;
  });

  app.get('/beak/admin/support/tickets', {
    schema: {
      tags, security, summary: 'Support tickets (newest first)',
      querystring: Type.Object({ status: Type.Optional(Type.String({ maxLength: 32 })), ...ListQuery }),
      response: { 200: Type.Object({ tickets: Type.Array(Ticket), next_cursor: Next }) },
    },
  }, async (request) => svc.tickets(request.query));

  app.get('/beak/admin/support/tickets/:ticket_id', {
    schema: { tags, security, summary: 'One support ticket', params: Type.Object({ ticket_id: Id }), response: { 200: Ticket } },
  }, async (request) => svc.ticketById(request.params.ticket_id));

  app.get('/beak/admin/signing-keys', {
    schema: {
      tags, security, summary: 'Token and certificate signing keys',
      response: { 200: Type.Object({ keys: Type.Array(Type.Object({ kid: Type.String(), active: Type.Boolean(), created_at: Type.String(), retired_at: Nullable(Type.String()) })) }) },
    },
  }, async () => svc.signingKeys());

  app.post('/beak/admin/signing-keys/rotate', {
    schema: {
      tags, security, summary: 'Rotate the signing key; the old one stays in the JWKS and verifies its tokens until they expire',
      response: { 200: Type.Object({ kid: Type.String(), previous_kid: Nullable(Type.String()), rotated_at: Type.String() }) },
    },
  }, async (request) => svc.rotateSigningKey(ctxOf(request)));

  app.post('/beak/admin/purge-unverified', {
    schema: { tags, security, summary: 'Delete accounts not verified within 24 hours now (the sweeper does it periodically)', response: { 200: Type.Object({ purged: Type.Integer() }) } },
  }, async () => svc.purgeUnverified());
}
