// Thin HTTP layer of Space Ducks, pulses, the live stream and the public directory.
import { Type } from '@sinclair/typebox';
import type { App } from '../app.js';
import { errors } from '../kernel/errors.js';
import { ListQuery, Nullable, ctxOf } from '../kernel/schemas.js';
import { HANDSHAKE_TTL_MS } from './service.js';
import { META_MAX_KEYS, META_MAX_VALUE_LENGTH, PULSE_STATUSES } from './liveness.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Tier = Type.Union([Type.Literal('T0'), Type.Literal('T1'), Type.Literal('T2'), Type.Literal('T3')]);
const Liveness = Type.Union(['active', 'paused', 'terminated', 'inactive', 'never'].map((l) => Type.Literal(l)));
const Meta = Type.Object({}, { additionalProperties: true, description: 'The last pulse\'s meta' });
/** A Beak Key in the body is a credential location (CONTRACT §1.2), not data. */
const BodyKey = { beak_key: Type.Optional(Type.String({ maxLength: 256, description: 'Credential (alternative to the Authorization header)' })) };
const AgentRef = { agent_id: Type.Optional(Id), spaceduck_id: Type.Optional(Id) };

const PublicAgent = Type.Object({
  spaceduck_id: Type.String(), agent_id: Type.String(), duckling_id: Type.String(), agent_name: Type.String(),
  agent_type: Nullable(Type.String()), capabilities: Type.Array(Type.String()), parent_id: Nullable(Type.String()),
  status: Type.String({ description: 'registered | bonded | deregistered' }), liveness: Liveness, created_at: Type.String(),
});
const ownerFields = {
  ...PublicAgent.properties,
  provider: Nullable(Type.String()), model: Nullable(Type.String()), last_seen: Nullable(Type.String()), last_status: Nullable(Type.String()),
  meta: Nullable(Meta), beak_key: Nullable(Type.String({ description: 'Masked preview of the primary key' })),
  beak_key_preview: Nullable(Type.String()), key_id: Nullable(Type.String()), key_expires_at: Nullable(Type.String()),
  bonded_at: Nullable(Type.String()), deregistered_at: Nullable(Type.String()),
};
const OwnerAgent = Type.Object(ownerFields);
const Profile = Type.Object({
  duckling_id: Type.String(), display_name: Type.String(), bio: Nullable(Type.String()), trust_tier: Type.String(),
  cert_id: Nullable(Type.String()), certified: Type.Boolean(), space_ducks: Type.Integer(), created_at: Type.String(),
});
const Me = Type.Object({}, { additionalProperties: true, description: "The caller's own full profile" });
// Most specific first: the serializer picks the first shape an item satisfies.
const SpaceduckItem = Type.Union([OwnerAgent, Profile, PublicAgent]);
const Spaceducks = Type.Object({
  spaceducks: Type.Array(SpaceduckItem), next_cursor: Nullable(Type.String()),
  duckling_id: Type.Optional(Type.String()), view: Type.Optional(Type.Union([Type.Literal('owner'), Type.Literal('public')])),
  me: Type.Optional(Me),
});

export async function agentRoutes(app: App): Promise<void> {
  const svc = app.deps.agents;
  app.addHook('preClose', async () => svc.feed.closeStreams());

  const register = {
    schema: {
      tags: ['agents'], summary: 'Register a Space Duck under the calling duckling (T1+): its own Beak Key and a handshake token',
      body: Type.Object({
        agent_name: Type.String({ minLength: 1, maxLength: 64 }), agent_type: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
        capabilities: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 32 })),
        parent_id: Type.Optional(Id), duckling_id: Type.Optional(Id),
        provider: Type.Optional(Type.String({ maxLength: 64 })), model: Type.Optional(Type.String({ maxLength: 64 })),
        request_id: Type.Optional(Type.String({ maxLength: 128 })), ...BodyKey,
      }),
      response: {
        200: Type.Object({
          ...ownerFields, beak_key: Type.String({ description: 'The agent\'s Beak Key, shown only this once' }),
          key_id: Type.String(), key_expires_at: Type.String(),
          handshake_token: Type.String({ description: `Single use, valid ${HANDSHAKE_TTL_MS / 3_600_000} h: POST /beak/agent/bond` }),
          handshake_expires_at: Type.String(), message: Type.String(),
        }),
      },
    },
    config: { auth: 'required', minTier: 'T1', idempotent: true },
  } as const;
  for (const url of ['/beak/agent/register', '/beak/register', '/beak/spaceducks/register']) {
    app.post(url, register, async (request) => svc.register(request.principal!, request.body, ctxOf(request)));
  }

  app.post('/beak/agent/bond', {
    schema: {
      tags: ['agents'], summary: "Bond ceremony: the agent's own Beak Key plus its single-use handshake token",
      body: Type.Object({ ...AgentRef, handshake_token: Type.String({ minLength: 1, maxLength: 128 }), ...BodyKey }),
      response: { 200: Type.Object({ agent_id: Type.String(), spaceduck_id: Type.String(), duckling_id: Type.String(), status: Type.Literal('bonded'), bonded_at: Type.String() }) },
    },
    config: { auth: 'required' },
  }, async (request) => svc.bond(request.principal!, request.body, ctxOf(request)));

  app.post('/beak/agent/handshake', {
    schema: {
      tags: ['agents'], summary: 'Issue a new handshake token for a Space Duck that has not bonded yet (operator)',
      body: Type.Object({ ...AgentRef, ...BodyKey }),
      response: { 200: Type.Object({ agent_id: Type.String(), spaceduck_id: Type.String(), handshake_token: Type.String(), handshake_expires_at: Type.String() }) },
    },
    config: { auth: 'required' },
  }, async (request) => svc.reissueHandshake(request.principal!, request.body, ctxOf(request)));

  app.get('/beak/agent/list', {
    schema: {
      tags: ['agents'], summary: "The operator's agents: key preview, status, liveness, last pulse",
      querystring: Type.Object({ ...ListQuery, include_deregistered: Type.Optional(Type.Boolean()) }),
      response: { 200: Type.Object({ agents: Type.Array(OwnerAgent), next_cursor: Nullable(Type.String()) }) },
    },
    config: { auth: 'required' },
  }, async (request) => svc.list(request.principal!, request.query));

  app.post('/beak/agent/deregister', {
    schema: {
      tags: ['agents'], summary: 'Deregister a Space Duck: its keys are revoked at once and its pulses refused',
      body: Type.Object({ ...AgentRef, ...BodyKey }),
      response: {
        200: Type.Object({
          agent_id: Type.String(), spaceduck_id: Type.String(), status: Type.Literal('deregistered'), deregistered_at: Type.String(),
          revoked_keys: Type.Integer(), message: Type.String(),
        }),
      },
    },
    config: { auth: 'required' },
  }, async (request) => svc.deregister(request.principal!, request.body, ctxOf(request)));

  app.post('/beak/pulse', {
    schema: {
      tags: ['agents'], summary: 'Heartbeat of an agent (or duckling): keeps it active in Mission Control',
      body: Type.Object({
        ...AgentRef, duckling_id: Type.Optional(Id),
        status: Type.Optional(Type.String({ maxLength: 32, description: `${PULSE_STATUSES.join(' | ')} (case-insensitive; default active)` })),
        meta: Type.Optional(Type.Record(Type.String(), Type.Unknown(), {
          description: `Flat object: ≤ ${META_MAX_KEYS} keys, values string | number | boolean of ≤ ${META_MAX_VALUE_LENGTH} characters`,
        })),
        timestamp: Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 64 })], { description: 'Ignored: the server clock decides' })),
        ...BodyKey,
      }),
      response: {
        200: Type.Object({
          status: Type.Literal('ok'), message: Type.String(), duckling_id: Type.String(),
          spaceduck_id: Type.Optional(Type.String()), agent_id: Type.Optional(Type.String()),
          last_seen: Type.String(), liveness: Liveness, active_bonds: Type.Integer(), trust_tier: Type.String(),
        }),
      },
    },
    config: { auth: 'required', requestIdHeader: 'handler' },
  }, async (request, reply) => {
    reply.header('x-request-id', request.id); // the hottest route skips the hook that does this
    return svc.pulse(request.principal!, request.body);
  });

  app.get('/beak/agent/stream', {
    schema: {
      tags: ['agents'], summary: "Server-Sent Events: the operator's pulses (`event: pulse`) and liveness changes (`event: liveness`)",
      produces: ['text/event-stream'],
    },
    config: { auth: 'required' },
  }, async (request, reply) => {
    const p = request.principal!;
    if (p.kind !== 'duckling') throw errors.forbidden("The live stream is the operator's view");
    await svc.feed.serve(request, reply, p.ducklingId);
  });

  const directory = {
    schema: {
      tags: ['directory'], summary: "Public directory of masked duckling profiles; with duckling_id, that duckling's Space Ducks",
      querystring: Type.Object({
        ...ListQuery, duckling_id: Type.Optional(Id), tier: Type.Optional(Tier),
        q: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'Display-name prefix (case-insensitive)' })),
      }),
      response: { 200: Spaceducks },
    },
    config: { auth: 'optional' },
  } as const;
  for (const url of ['/beak/spaceducks', '/beak/directory']) {
    app.get(url, directory, async (request) => {
      const { duckling_id, ...q } = request.query;
      return duckling_id
        ? svc.ofDuckling(request.principal, duckling_id, q)
        : svc.directory.list(q, request.principal);
    });
  }

  app.post('/beak/spaceducks', {
    schema: {
      tags: ['directory'], summary: "A duckling's Space Ducks: full view for the owner, masked public view for anyone else",
      body: Type.Object({ duckling_id: Type.Optional(Id), ...ListQuery, ...BodyKey }),
      response: { 200: Spaceducks },
    },
    config: { auth: 'optional' },
  }, async (request) => {
    const id = request.body.duckling_id ?? request.principal?.ducklingId;
    if (!id) throw errors.validation('duckling_id is required', [{ field: 'body.duckling_id', message: 'is required' }]);
    return svc.ofDuckling(request.principal, id, request.body);
  });
}
