// Thin HTTP layer of the Key Manager and rotation (CONTRACT §3).
import { Type } from '@sinclair/typebox';
import type { App } from '../app.js';
import { ListQuery, Nullable, ctxOf } from '../kernel/schemas.js';
import { KeyManager } from './manager.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Days = Type.Integer({ minimum: 1, maximum: 365, description: 'Lifetime in days (default 90)' });
const BodyKey = { beak_key: Type.Optional(Type.String({ maxLength: 256, description: 'Credential (alternative to the Authorization header)' })) };
const Status = Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked'), Type.Literal('rotated')]);

const KeyView = {
  key_id: Type.String(), owner_type: Type.Union([Type.Literal('duckling'), Type.Literal('agent')]), owner_id: Type.String(),
  name: Nullable(Type.String()), preview: Type.String({ description: 'Masked: the key itself is never shown again' }), primary: Type.Boolean(),
  created_at: Type.String(), expires_at: Type.String(), last_used_at: Nullable(Type.String()), status: Status,
  revoked_at: Nullable(Type.String()), replaced_by: Nullable(Type.String()), grace_until: Nullable(Type.String()),
};

const Rotated = Type.Object({
  new_beak_key: Type.String({ description: 'Seed 000 reads this name' }), beak_key: Type.String({ description: 'Seed 002 reads this name (same value)' }),
  key_id: Type.String(), previous_key_id: Nullable(Type.String()), owner_type: Type.String(), duckling_id: Type.String(),
  spaceduck_id: Type.Optional(Type.String()), agent_id: Type.Optional(Type.String()),
  rotated_at: Type.String(), expires_at: Type.String(), grace_until: Nullable(Type.String()), message: Type.String(),
});

export async function keyRoutes(app: App): Promise<void> {
  const keys = new KeyManager(app.deps);

  app.get('/beak/keys', {
    schema: {
      tags: ['keys'], summary: 'The Key Manager: every key of the duckling and its agents (masked)',
      querystring: Type.Object({ ...ListQuery, owner_id: Type.Optional(Id), status: Type.Optional(Status) }),
      response: { 200: Type.Object({ keys: Type.Array(Type.Object(KeyView)), next_cursor: Nullable(Type.String()) }) },
    },
    config: { auth: 'required' },
  }, async (request) => keys.list(request.principal!, request.query));

  app.post('/beak/keys', {
    schema: {
      tags: ['keys'], summary: 'Mint an additional Beak Key for the duckling or one of its agents (shown once)',
      body: Type.Object({
        name: Type.Optional(Type.String({ maxLength: 64 })), agent_id: Type.Optional(Id), expires_in_days: Type.Optional(Days),
        request_id: Type.Optional(Type.String({ maxLength: 128 })), ...BodyKey,
      }),
      response: { 200: Type.Object({ ...KeyView, beak_key: Type.String({ description: 'Shown only this once' }), message: Type.String() }) },
    },
    config: { auth: 'required', idempotent: true },
  }, async (request) => keys.create(request.principal!, request.body, ctxOf(request)));

  app.delete('/beak/keys/:key_id', {
    schema: {
      tags: ['keys'], summary: 'Revoke a key at once (on every node)',
      params: Type.Object({ key_id: Id }),
      response: { 200: Type.Object(KeyView) },
    },
    config: { auth: 'required' },
  }, async (request) => keys.revoke(request.principal!, request.params.key_id, ctxOf(request)));

  const rotate = {
    schema: {
      tags: ['keys'], summary: 'Rotate a Beak Key: the old one stops working at once (or after grace_seconds)',
      body: Type.Object({
        duckling_id: Type.Optional(Id), spaceduck_id: Type.Optional(Id), agent_id: Type.Optional(Id),
        grace_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, description: 'Keep the old key working this long (default 0)' })),
        expires_in_days: Type.Optional(Days), action: Type.Optional(Type.String({ maxLength: 32 })), ...BodyKey,
      }),
      response: { 200: Rotated },
    },
    config: { auth: 'required' },
  } as const;
  for (const url of ['/beak/rotate', '/beak/key/rotate']) {
    app.post(url, rotate, async (request) => keys.rotate(request.principal!, request.body, ctxOf(request)));
  }
}
