// Thin HTTP layer of identity: schemas and calls into IdentityService. Account routes (profile,
// status, trust) and passkeys are registered from here too.
import { Type } from '@sinclair/typebox';
import type { App } from '../app.js';
import { Code, Email, Password, codeFrom, ctxOf } from '../kernel/schemas.js';
import { accountRoutes } from './account-routes.js';
import { passkeyRoutes } from './passkey-routes.js';
import { Phone, SessionBody } from './schemas.js';


const VerifiedBody = Type.Object({
  success: Type.Literal(true), message: Type.String(), duckling_id: Type.String(), email: Type.String(), display_name: Type.String(),
  trust_tier: Type.String(), cert_id: Type.String(), beak_key: Type.String({ description: 'The first Beak Key; shown once' }),
  access_token: Type.String(), token: Type.String(), token_type: Type.Literal('Bearer'), expires_at: Type.String(), expires_in: Type.Integer(),
});

const Done = Type.Object({ success: Type.Literal(true), message: Type.String() });

export async function identityRoutes(app: App): Promise<void> {
  const svc = app.deps.identity;
  // Mail queued after a response (anti-enumeration routes) is flushed before shutdown closes the
  // database (the root onClose hook runs before any plugin's, hence preClose).
  app.addHook('preClose', async () => { await svc.drain(); });

  const signup = {
    schema: {
      tags: ['identity'], summary: 'Hatch a duckling (sign up); emails a verification code',
      body: Type.Object({
        email: Email, password: Type.Optional(Password),
        display_name: Type.Optional(Type.String({ maxLength: 64, description: '3–32 letters, digits, spaces, "_" or "-"' })),
        phone: Type.Optional(Phone), referral_code: Type.Optional(Type.String({ maxLength: 64 })),
        request_id: Type.Optional(Type.String({ maxLength: 128 })), action: Type.Optional(Type.String({ maxLength: 32 })),
      }),
      response: {
        200: Type.Object({ success: Type.Literal(true), message: Type.String(), duckling_id: Type.String(), email: Type.String(), display_name: Type.String(), trust_tier: Type.Literal('T0') }),
      },
    },
    config: { idempotent: true },
  } as const;
  for (const url of ['/beak/signup', '/beak/hatch']) {
    app.post(url, signup, async (request) => svc.signup(request.body, ctxOf(request)));
  }

  app.post('/beak/verify', {
    schema: {
      tags: ['identity'], summary: 'Verify the email with the emailed code: T1, birth certificate, first Beak Key, session',
      body: Type.Object({ email: Email, otp: Type.Optional(Code), code: Type.Optional(Code), action: Type.Optional(Type.String({ maxLength: 32 })) }),
      response: { 200: VerifiedBody },
    },
  }, async (request) => svc.verify(request.body.email, codeFrom(request.body), ctxOf(request)));

  app.post('/beak/verify-email', {
    schema: {
      tags: ['identity'], summary: 'Verify the signed-in duckling\'s email with the emailed code',
      body: Type.Object({ otp: Type.Optional(Code), code: Type.Optional(Code) }),
      response: { 200: VerifiedBody },
    },
    config: { auth: 'required' },
  }, async (request) => svc.verifyEmail(request.principal!, codeFrom(request.body), ctxOf(request)));

  app.post('/beak/verify/resend', {
    schema: { tags: ['identity'], summary: 'Send a new verification code (always 200)', body: Type.Object({ email: Email }), response: { 200: Done } },
  }, async (request) => {
    await svc.resend(request.body.email);
    return { success: true as const, message: 'If the account is waiting for verification, a new code has been sent.' };
  });

  const signin = {
    schema: {
      tags: ['identity'], summary: 'Sign in with password or emailed code; `{ email }` alone emails a code',
      body: Type.Object({
        email: Email, password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
        otp: Type.Optional(Code), code: Type.Optional(Code), issue_beak_key: Type.Optional(Type.Boolean()),
        action: Type.Optional(Type.String({ maxLength: 32 })),
      }),
      response: { 200: Type.Union([SessionBody, Done]) },
    },
  } as const;
  for (const url of ['/beak/signin', '/beak/auth', '/beak/login']) {
    app.post(url, signin, async (request) => svc.signin({ ...request.body, otp: request.body.otp ?? request.body.code }, ctxOf(request)));
  }

  app.post('/beak/signout', {
    schema: { tags: ['identity'], summary: 'Revoke this session on every node', response: { 200: Type.Object({ success: Type.Literal(true) }) } },
    config: { auth: 'required' },
  }, async (request) => {
    await svc.signout(request.principal!, ctxOf(request));
    return { success: true as const };
  });

  app.post('/beak/forgot', {
    schema: { tags: ['identity'], summary: 'Email a password reset code (always 200)', body: Type.Object({ email: Email }), response: { 200: Done } },
  }, async (request) => {
    await svc.forgot(request.body.email, ctxOf(request));
    return { success: true as const, message: 'If an account exists for this email, a reset code has been sent.' };
  });

  app.post('/beak/reset', {
    schema: {
      tags: ['identity'], summary: 'Set a new password with the emailed code; verifies the email and signs out every session',
      body: Type.Object({ email: Email, code: Type.Optional(Code), otp: Type.Optional(Code), password: Password }),
      response: {
        200: Type.Object({
          success: Type.Literal(true), message: Type.String(), duckling_id: Type.String(),
          trust_tier: Type.Optional(Type.String()), cert_id: Type.Optional(Type.String()),
          beak_key: Type.Optional(Type.String({ description: 'Only when the reset verified the email: the first Beak Key, shown once' })),
        }),
      },
    },
  }, async (request) => svc.reset({ email: request.body.email, code: codeFrom(request.body), password: request.body.password }, ctxOf(request)));

  await app.register(accountRoutes);
  await app.register(passkeyRoutes);
}
