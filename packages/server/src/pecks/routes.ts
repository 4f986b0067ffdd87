// Thin HTTP layer of the Peck Protocol (CONTRACT §6): schemas and calls into PeckService.
import { Type } from '@sinclair/typebox';
import type { App } from '../app.js';
import { Code, Email, ListQuery, Nullable, ctxOf } from '../kernel/schemas.js';

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const Text = (maxLength: number, description: string) => Type.String({ maxLength, description });

const PeckRequestBody = Type.Object({
  requester_id: Type.Optional(Id('The caller (dk_… or sd_…) or one of its agents; defaults to the caller')),
  requester_spaceduck_id: Type.Optional(Id('An agent of the caller (or the calling agent) that sends the peck')),
  requester_agent_id: Type.Optional(Id('Synonym of requester_spaceduck_id')),
  target_email: Type.Optional(Email),
  target: Type.Optional(Id('A duckling id (or a Space Duck id)')),
  target_duckling_id: Type.Optional(Id('The target duckling')),
  target_spaceduck_id: Type.Optional(Id('The target Space Duck (agent)')),
  target_agent_id: Type.Optional(Id('Synonym of target_spaceduck_id')),
  purpose: Type.Optional(Text(280, 'Shown to the target: why you ask')),
  action: Type.Optional(Text(64, 'What is asked for, e.g. read:profile or query; "peck" is just the verb')),
  scope: Type.Optional(Text(256, 'Scope of the bond, e.g. limited')),
  payload: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Free-form JSON object, at most 8 KiB serialized' })),
  request_id: Type.Optional(Text(128, 'Idempotency key')),
});

const PeckCreated = Type.Object({
  peck_id: Type.String(), status: Type.Literal('pending'), target_email: Type.Optional(Type.String()), target_id: Type.String(),
  expires_at: Type.String(), message: Type.String(),
});

const DecisionBody = Type.Object({
  peck_id: Id('The peck to decide'),
  otp: Type.Optional(Code), code: Type.Optional(Code),
  duckling_id: Type.Optional(Id('The target duckling (when given it must be the peck\'s target)')),
  beak_key: Type.Optional(Type.String({ maxLength: 256, description: 'The target\'s Beak Key (seed 002); prefer the Authorization header' })),
  reason: Type.Optional(Text(280, 'Why the peck is denied; told to the requester')),
});

const Peck = Type.Object({
  peck_id: Type.String(), direction: Type.Union([Type.Literal('sent'), Type.Literal('received')]),
  requester_id: Type.String(), requester_type: Type.String(), requester_duckling_id: Type.String(),
  target_id: Type.String(), target_type: Type.String(), target_duckling_id: Type.String(), target_email: Nullable(Type.String()),
  purpose: Nullable(Type.String()), action: Nullable(Type.String()), scope: Nullable(Type.String()),
  payload: Nullable(Type.Record(Type.String(), Type.Unknown())), status: Type.String(),
  created_at: Type.String(), expires_at: Type.String(), decided_at: Nullable(Type.String()), reason: Nullable(Type.String()),
  connection_id: Nullable(Type.String()),
});

const Connection = Type.Object({
  connection_id: Type.String(), own_id: Type.String(), peer_id: Type.String(), peer_type: Type.String(), peer_duckling_id: Type.String(),
  peer_display_name: Nullable(Type.String()), peer_trust_tier: Nullable(Type.String()), scope: Nullable(Type.String()),
  peck_id: Nullable(Type.String()), bonded_at: Type.String(),
});

const Approved = Type.Object({
  approved: Type.Literal(true), connection_id: Type.String(), status: Type.Literal('bonded'), peck_id: Type.String(),
  requester_id: Type.String(), target_id: Type.String(), bonded_at: Type.String(),
});
const Denied = Type.Object({ denied: Type.Literal(true), peck_id: Type.String(), status: Type.Literal('rejected'), reason: Nullable(Type.String()) });

export async function peckRoutes(app: App): Promise<void> {
  const svc = app.deps.pecks;

  const request = {
    schema: {
      tags: ['pecks'], summary: 'Ask a duckling or Space Duck for a trust bond; the target is emailed a code',
      body: PeckRequestBody, response: { 200: PeckCreated },
    },
    config: { auth: 'required', minTier: 'T1', idempotent: true },
  } as const;
  for (const url of ['/beak/peck', '/beak/peck/request']) {
    app.post(url, request, async (req) => svc.request(req.principal!, req.body, ctxOf(req)));
  }

  app.post('/beak/peck/approve', {
    schema: {
      tags: ['pecks'], summary: 'Approve a peck as its target, with credentials, the emailed code, or both; creates the bond',
      body: Type.Composite([DecisionBody, Type.Object({ action: Type.Optional(Type.Union([Type.Literal('approve'), Type.Literal('deny')])) })]),
      response: { 200: Type.Union([Approved, Denied]) },
    },
    config: { auth: 'optional' },
  }, async (req) => (req.body.action === 'deny' ? svc.deny(req.principal, req.body, ctxOf(req)) : svc.approve(req.principal, req.body, ctxOf(req))));

  for (const url of ['/beak/peck/deny', '/beak/peck/reject']) {
    app.post(url, {
      schema: { tags: ['pecks'], summary: 'Deny a peck as its target; the requester is told', body: DecisionBody, response: { 200: Denied } },
      config: { auth: 'optional' },
    }, async (req) => svc.deny(req.principal, req.body, ctxOf(req)));
  }

  app.get('/beak/peck/history', {
    schema: {
      tags: ['pecks'], summary: 'Pecks sent and received by the caller, newest first',
      querystring: Type.Object({
        ...ListQuery,
        direction: Type.Optional(Type.Union([Type.Literal('sent'), Type.Literal('received')])),
        status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('expired'), Type.Literal('cancelled')])),
      }),
      response: { 200: Type.Object({ pecks: Type.Array(Peck), next_cursor: Nullable(Type.String()) }) },
    },
    config: { auth: 'required' },
  }, async (req) => svc.history(req.principal!, req.query));

  app.post('/beak/peck/list', {
    schema: {
      tags: ['pecks'], summary: 'Pending pecks waiting for the caller\'s decision',
      body: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
      response: { 200: Type.Object({ pecks: Type.Array(Peck) }) },
    },
    config: { auth: 'required' },
  }, async (req) => svc.pending(req.principal!, req.body.limit));

  app.get('/beak/connections', {
    schema: {
      tags: ['pecks'], summary: 'Live trust bonds of the caller (a duckling also sees its agents\' bonds)',
      querystring: Type.Object(ListQuery),
      response: { 200: Type.Object({ connections: Type.Array(Connection), next_cursor: Nullable(Type.String()) }) },
    },
    config: { auth: 'required' },
  }, async (req) => svc.connections(req.principal!, req.query));

  app.post('/beak/unpeck', {
    schema: {
      tags: ['pecks'], summary: 'Remove a trust bond (either side may)',
      body: Type.Object({ connection_id: Type.Optional(Id('The bond')), target_id: Type.Optional(Id('The peer of the bond')) }),
      response: { 200: Type.Object({ connection_id: Type.String(), status: Type.Literal('unbonded'), unbonded_at: Type.String() }) },
    },
    config: { auth: 'required' },
  }, async (req) => svc.unpeck(req.principal!, req.body, ctxOf(req)));
}
