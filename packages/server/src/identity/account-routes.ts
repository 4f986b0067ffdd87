// The duckling's account over HTTP: profile, renames, status, trust elevation.
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { isAdmin } from '../admin/auth.js';
import { Code, Email, Nullable, ctxOf } from '../kernel/schemas.js';
import { errors } from '../kernel/errors.js';
import { requireDuckling } from './service.js';
import { Phone } from './schemas.js';

const Profile = Type.Object({
  duckling_id: Type.String(), email: Type.String(), display_name: Type.String(), bio: Nullable(Type.String()), trust_tier: Type.String(),
  cert_id: Nullable(Type.String()), cert_status: Type.String({ description: 'valid | revoked | superseded | none' }),
  egg_count: Type.Integer({ description: 'Space Ducks (agents) registered by this duckling' }),
  email_verified: Type.Boolean(), phone: Nullable(Type.String()), phone_verified: Type.Boolean(), directory_visible: Type.Boolean(),
  name_changed_at: Nullable(Type.String()), next_name_change_at: Nullable(Type.String()), created_at: Type.String(),
});

const Status = Type.Object({
  email: Type.Optional(Type.String()), duckling_id: Type.Optional(Type.String()),
  status: Type.String({ description: 'active | pending | suspended for those allowed to see; otherwise unknown (or not_found for administrators)' }),
  email_verified: Type.Optional(Type.Boolean()), phone_verified: Type.Optional(Type.Boolean()), trust_tier: Type.Optional(Type.String()),
  cert_status: Type.Optional(Type.String()), connected_agents: Type.Optional(Type.Integer()), liveness_verified: Type.Optional(Type.Boolean()),
});

const DisplayName = Type.String({ minLength: 1, maxLength: 64, description: '3–32 letters, digits, spaces, "_" or "-"' });

export async function accountRoutes(app: App): Promise<void> {
  const svc = app.deps.identity;
  const auth = { auth: 'required' } as const;

  app.get('/beak/profile', {
    schema: { tags: ['identity'], summary: 'The signed-in duckling\'s profile', response: { 200: Profile } },
    config: auth,
  }, async (request) => svc.profiles.profile(request.principal!.ducklingId));

  app.post('/beak/profile/update', {
    schema: {
      tags: ['identity'], summary: 'Update display name (once per 30 days), bio and directory visibility',
      body: Type.Object({
        display_name: Type.Optional(DisplayName), bio: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
        directory_visible: Type.Optional(Type.Boolean()),
      }, { minProperties: 1 }),
      response: { 200: Profile },
    },
    config: auth,
  }, async (request) => {
    requireDuckling(request.principal!);
    return svc.profiles.update(request.principal!.ducklingId, request.body, ctxOf(request));
  });

  app.post('/beak/name-change', {
    schema: {
      tags: ['identity'], summary: 'Change the display name (once per 30 days; unique case-insensitively)',
      body: Type.Object({ new_display_name: DisplayName }),
      response: {
        200: Type.Object({
          success: Type.Literal(true), message: Type.String(), duckling_id: Type.String(), display_name: Type.String(),
          previous_display_name: Type.String(), next_name_change_at: Nullable(Type.String()),
        }),
      },
    },
    config: auth,
  }, async (request) => {
    requireDuckling(request.principal!);
    return svc.profiles.changeName(request.principal!.ducklingId, request.body.new_display_name, ctxOf(request));
  });

  // Status: the owner, an administrator, or (with SPACEDUCK_PUBLIC_STATUS) anyone sees it.
  const viewer = async (request: FastifyRequest) => {
    if (isAdmin(request, app.deps.config)) return { admin: true };
    return { admin: false, principal: await app.deps.resolver.resolve(request) };
  };
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { beakKey: [] }, {}];
  app.post('/beak/status', {
    schema: { tags: ['identity'], summary: 'Account status by email (details for the owner only)', security, body: Type.Object({ email: Email }), response: { 200: Status } },
  }, async (request) => svc.profiles.status(await viewer(request), { email: request.body.email }));

  app.get('/beak/status', {
    schema: {
      tags: ['identity'], summary: 'Account status by duckling id (details for the owner only)', security,
      querystring: Type.Object({ duckling_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), email: Type.Optional(Email) }),
      response: { 200: Status },
    },
  }, async (request) => {
    const { duckling_id, email } = request.query;
    if (!duckling_id && !email) throw errors.validation('duckling_id or email is required', [{ field: 'querystring.duckling_id', message: 'is required' }]);
    return svc.profiles.status(await viewer(request), duckling_id ? { duckling_id } : { email: email! });
  });

  const elevate = {
    schema: {
      tags: ['identity'], summary: 'T2: `{ phone }` texts a code (202); `{ phone, otp }` proves the phone and issues a new certificate',
      body: Type.Object({ phone: Phone, otp: Type.Optional(Code), code: Type.Optional(Code) }),
      response: {
        200: Type.Object({ success: Type.Literal(true), trust_tier: Type.String(), cert_id: Nullable(Type.String()), phone_verified: Type.Boolean(), message: Type.String() }),
        202: Type.Object({ status: Type.Literal('otp_sent'), phone: Type.String(), expires_in: Type.Integer() }),
      },
    },
    config: { auth: 'required', minTier: 'T1' },
  } as const;
  const elevateHandler = async (request: FastifyRequest<{ Body: { phone: string; otp?: string; code?: string } }>, reply: FastifyReply) => {
    const p = request.principal!;
    requireDuckling(p);
    const code = request.body.otp ?? request.body.code;
    if (code === undefined) {
      reply.code(202);
      return svc.trust.sendPhoneCode(p.ducklingId, request.body.phone, ctxOf(request));
    }
    return svc.trust.confirmPhone(p.ducklingId, request.body.phone, code, ctxOf(request));
  };
  app.put('/beak/trust/elevate', elevate, elevateHandler);
  app.post('/beak/trust/elevate', elevate, elevateHandler);
}
