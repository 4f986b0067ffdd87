// Passkeys over HTTP. Registering and deleting a passkey changes how the account can be entered,
// so it takes a session of a verified duckling — a leaked Beak Key cannot plant a passkey.
import { Type } from '@sinclair/typebox';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { App } from '../app.js';
import { errors } from '../kernel/errors.js';
import type { Principal } from '../kernel/principal.js';
import { Nullable, ctxOf } from '../kernel/schemas.js';
import { SessionBody } from './schemas.js';

const B64url = (maxLength: number) => Type.String({ pattern: '^[A-Za-z0-9_-]*={0,2}$', maxLength });

/** The JSON a browser produces for a WebAuthn credential (PublicKeyCredential.toJSON()). */
const Credential = Type.Object({
  id: B64url(1024), rawId: B64url(1024), type: Type.Literal('public-key'),
  response: Type.Object({
    clientDataJSON: B64url(8192),
    attestationObject: Type.Optional(B64url(32_768)), authenticatorData: Type.Optional(B64url(8192)),
    signature: Type.Optional(B64url(2048)), userHandle: Type.Optional(Nullable(B64url(1024))),
    transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 })),
    publicKey: Type.Optional(B64url(4096)), publicKeyAlgorithm: Type.Optional(Type.Integer()),
  }, { additionalProperties: true }),
  clientExtensionResults: Type.Optional(Type.Object({}, { additionalProperties: true })),
  authenticatorAttachment: Type.Optional(Nullable(Type.String({ maxLength: 32 }))),
}, { additionalProperties: true });

const Options = Type.Object({ options: Type.Object({}, { additionalProperties: true }) });

const Passkey = Type.Object({
  passkey_id: Type.String(), credential_id: Type.String(), name: Nullable(Type.String()), device_type: Nullable(Type.String()),
  backed_up: Type.Boolean(), transports: Type.Optional(Type.Array(Type.String())), created_at: Type.String(), last_used_at: Nullable(Type.String()),
});

function sessionOfDuckling(p: Principal): void {
  if (p.kind !== 'duckling' || p.via !== 'session') throw errors.forbidden('Passkeys are managed with a session token, not a Beak Key');
}

export async function passkeyRoutes(app: App): Promise<void> {
  const svc = app.deps.identity.passkeys;

  app.post('/beak/passkey/register', {
    schema: { tags: ['passkeys'], summary: 'Start registering a passkey: WebAuthn creation options', response: { 200: Options } },
    config: { auth: 'required', minTier: 'T1' },
  }, async (request) => {
    sessionOfDuckling(request.principal!);
    return svc.registrationOptions(request.principal!.ducklingId);
  });

  app.post('/beak/passkey/register/verify', {
    schema: {
      tags: ['passkeys'], summary: 'Finish registering a passkey with the authenticator\'s response',
      body: Type.Object({ credential: Credential, name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }),
      response: { 200: Type.Object({ success: Type.Literal(true), passkey_id: Type.String(), name: Nullable(Type.String()), created_at: Type.String() }) },
    },
    config: { auth: 'required', minTier: 'T1' },
  }, async (request) => {
    sessionOfDuckling(request.principal!);
    return svc.register(request.principal!.ducklingId, request.body.credential as unknown as RegistrationResponseJSON, request.body.name, ctxOf(request));
  });

  app.post('/beak/passkey/login', {
    schema: {
      tags: ['passkeys'], summary: 'Without `credential`: a sign-in challenge. With it (an assertion): a session, as sign-in',
      body: Type.Object({ credential: Type.Optional(Credential) }),
      response: { 200: Type.Union([SessionBody, Options]) },
    },
  }, async (request) => {
    const credential = request.body.credential;
    if (!credential) return svc.loginOptions();
    if (!credential.response.signature || !credential.response.authenticatorData) {
      throw errors.validation('credential must be a WebAuthn assertion', [{ field: 'body.credential.response', message: 'must have authenticatorData and signature' }]);
    }
    return svc.login(credential as unknown as AuthenticationResponseJSON, ctxOf(request));
  });

  app.get('/beak/passkeys', {
    schema: { tags: ['passkeys'], summary: 'The signed-in duckling\'s passkeys', response: { 200: Type.Object({ passkeys: Type.Array(Passkey) }) } },
    config: { auth: 'required' },
  }, async (request) => {
    if (request.principal!.kind !== 'duckling') throw errors.forbidden('Only the duckling itself may list its passkeys');
    return { passkeys: await svc.list(request.principal!.ducklingId) };
  });

  app.delete('/beak/passkeys/:passkey_id', {
    schema: {
      tags: ['passkeys'], summary: 'Delete a passkey',
      params: Type.Object({ passkey_id: Type.String({ minLength: 1, maxLength: 64 }) }),
      response: { 200: Type.Object({ success: Type.Literal(true), passkey_id: Type.String(), status: Type.Literal('deleted') }) },
    },
    config: { auth: 'required' },
  }, async (request) => {
    sessionOfDuckling(request.principal!);
    return svc.remove(request.principal!.ducklingId, request.params.passkey_id, ctxOf(request));
  });
}
