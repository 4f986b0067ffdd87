// Thin HTTP layer of cross-domain SSO (CONTRACT §7).
import { Type } from '@sinclair/typebox';
import type { App } from '../app.js';
import { Nullable, ctxOf } from '../kernel/schemas.js';

const tags = ['sso'];
const Domain = Type.String({
  maxLength: 253, pattern: '^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?$',
  description: 'Host name of the relying domain, e.g. duckcontrol.com',
});
// OAuth 2.0 scope syntax (RFC 6749 §3.3): space-separated tokens of printable ASCII.
const Scope = Type.String({ minLength: 1, maxLength: 256, pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*$' });
const SsoToken = Type.String({ minLength: 1, maxLength: 256 });

export async function ssoRoutes(app: App): Promise<void> {
  const svc = app.deps.sso;

  app.post('/beak/sso/issue', {
    schema: {
      tags, summary: 'A single-use SSO token for a relying domain (5 minutes)',
      body: Type.Object({ target_domain: Domain, scope: Type.Optional(Scope) }),
      response: { 200: Type.Object({ sso_token: Type.String(), target_domain: Type.String(), scope: Nullable(Type.String()), expires_at: Type.String() }) },
    },
    config: { auth: 'required' },
  }, async (request) => svc.issue(request.principal!, request.body, ctxOf(request)));

  app.get('/beak/sso/verify', {
    schema: {
      tags, summary: 'Redeem an SSO token (public, single use): who it speaks for, or valid:false',
      querystring: Type.Object({ token: SsoToken }),
      response: {
        200: Type.Object({
          valid: Type.Boolean(), duckling_id: Type.Optional(Type.String()), display_name: Type.Optional(Type.String()),
          trust_tier: Type.Optional(Type.String()), target_domain: Type.Optional(Type.String()), scope: Type.Optional(Nullable(Type.String())),
          expires_at: Type.Optional(Type.String()), reason: Type.Optional(Type.String({ description: 'unknown | used | expired | inactive' })),
          message: Type.Optional(Type.String()),
        }),
      },
    },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return svc.verify(request.query.token, ctxOf(request));
  });

  app.post('/beak/sso/bridge', {
    schema: {
      tags, summary: 'Exchange your SSO token for a session scoped to `target` (audience `sso:<target>`)',
      body: Type.Object({
        sso_token: SsoToken,
        target: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$', description: 'The relying application, e.g. mission-control' }),
      }),
      response: {
        200: Type.Object({
          bridged: Type.Literal(true), target: Type.String(), audience: Type.String(), access_token: Type.String(),
          token_type: Type.Literal('Bearer'), expires_at: Type.String(),
        }),
      },
    },
    config: { auth: 'required' },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return svc.bridge(request.principal!, request.body, ctxOf(request));
  });
}
