// Thin HTTP layer of identity: schemas and calls into IdentityService.
import { Type } from '@sinclair/typebox';
import type { App } from '../app.js';
import { Code, Email, Password, codeFrom, ctxOf } from '../kernel/schemas.js';

const SessionBody = Type.Object({
  access_token: Type.String(), token: Type.String(), token_type: Type.Literal('Bearer'), expires_at: Type.String(), expires_in: Type.Integer(),
  duckling_id: Type.String(), email: Type.String(), display_name: Type.String(), trust_tier: Type.String(), beak_key: Type.Optional(Type.String()),
});

export async function identityRoutes(app: App): Promise<void> {
  const svc = app.deps.identity;

  const signup = {
    schema: {
      tags: ['identity'], summary: 'Hatch a duckling (sign up); emails a verification code',
      body: Type.Object({
        email: Email, password: Type.Optional(Password),
        display_name: Type.Optional(Type.String({ maxLength: 64 })), phone: Type.Optional(Type.String({ pattern: '^\\+[1-9]\\d{6,14}$' })),
        referral_code: Type.Optional(Type.String({ maxLength: 64 })), request_id: Type.Optional(Type.String({ maxLength: 128 })),
        action: Type.Optional(Type.String({ maxLength: 32 })),
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
      body: Type.Object({ email: Email, otp: Type.Optional(Code), code: Type.Optional(Code) }),
    },
  }, async (request) => svc.verify(request.body.email, codeFrom(request.body), ctxOf(request)));

  app.post('/beak/verify/resend', {
    schema: { tags: ['identity'], summary: 'Send a new verification code (always 200)', body: Type.Object({ email: Email }) },
  }, async (request) => {
    await svc.resend(request.body.email);
    return { success: true, message: 'If the account is waiting for verification, a new code has been sent.' };
  });

  const signin = {
    schema: {
      tags: ['identity'], summary: 'Sign in with password or emailed code; `{ email }` alone emails a code',
      body: Type.Object({
        email: Email, password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
        otp: Type.Optional(Code), code: Type.Optional(Code), issue_beak_key: Type.Optional(Type.Boolean()),
        action: Type.Optional(Type.String({ maxLength: 32 })),
      }),
      response: { 200: Type.Union([SessionBody, Type.Object({ success: Type.Literal(true), message: Type.String() })]) },
    },
  } as const;
  for (const url of ['/beak/signin', '/beak/auth', '/beak/login']) {
    app.post(url, signin, async (request) => svc.signin({ ...request.body, otp: request.body.otp ?? request.body.code }, ctxOf(request)));
  }

  app.post('/beak/signout', {
    schema: { tags: ['identity'], summary: 'Revoke this session on every node' },
    config: { auth: 'required' },
  }, async (request) => {
    const p = request.principal!;
    await svc.signout(p.ducklingId, p.sessionId, ctxOf(request));
    return { success: true };
  });
}
