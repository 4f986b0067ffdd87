// Thin HTTP layer of birth certificates (CONTRACT §5).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { errors } from '../kernel/errors.js';
import { iso } from '../kernel/clock.js';
import { Nullable, ctxOf } from '../kernel/schemas.js';
import type { Principal } from '../kernel/principal.js';
import { STATUS_LIST_TTL_MS } from './service.js';

const CertId = Type.String({ minLength: 1, maxLength: 256, description: 'A certificate id (`cert_…`)' });

// One object with optional fields rather than a union: it documents both outcomes and keeps
// serialisation on the fast path of the most requested public route.
const Verification = Type.Object({
  valid: Type.Boolean(),
  cert_id: Type.String(),
  status: Type.String({ description: 'valid | revoked | superseded' }),
  duckling_id: Type.Optional(Type.String()),
  display_name: Type.Optional(Type.String()),
  trust_tier: Type.Optional(Type.String()),
  issued_at: Type.Optional(Type.String()),
  credential: Type.Optional(Type.String({ description: 'The certificate as a compact JWS (VC-JWT, EdDSA); only while valid' })),
  revoked_at: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  superseded_by: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});

const PublicCert = {
  cert_id: Type.String(), duckling_id: Type.String(), display_name: Type.String(), trust_tier: Type.String(),
  status: Type.String(), valid: Type.Boolean(), issued_at: Type.String(), revoked_at: Nullable(Type.String()),
  superseded_by: Nullable(Type.String()), credential: Type.String({ description: 'The certificate as a compact JWS (VC-JWT, EdDSA)' }),
};
const OwnerCert = Type.Object({
  ...PublicCert, reason: Nullable(Type.String()),
  status_list_index: Type.Integer(), status_list_credential: Type.String(),
});
const CertView = Type.Union([OwnerCert, Type.Object(PublicCert)]);

// Documentation only: the body is built once and sent pre-serialised (or as the bare JWS).
const StatusListBody = Type.Object({
  '@context': Type.Array(Type.String()), id: Type.String(), type: Type.Array(Type.String()), issuer: Type.String(),
  validFrom: Type.String(), validUntil: Type.String(),
  credentialSubject: Type.Object({
    id: Type.String(), type: Type.Literal('BitstringStatusList'), statusPurpose: Type.Literal('revocation'),
    encodedList: Type.String({ description: 'Multibase (u) base64url of the GZIP-compressed bitstring, MSB first, ≥ 131,072 bits' }),
    ttl: Type.Integer({ description: 'Milliseconds a verifier may cache the list' }),
  }),
  credential: Type.String({ description: 'The same credential as a compact JWS (VC-JWT, EdDSA): the only part to trust' }),
});

const tags = ['certificates'];
const notFound = { 404: Type.Object({ error: Type.String(), message: Type.String(), code: Type.String(), valid: Type.Literal(false) }, { additionalProperties: true }) };

/** Certificates belong to the operator: its agents may read them but not issue or revoke. */
function operator(p: Principal): string {
  if (p.kind !== 'duckling') throw errors.forbidden('Only the operator (duckling) can manage its birth certificate');
  return p.ducklingId;
}

export async function certRoutes(app: App): Promise<void> {
  const svc = app.deps.certs;
  // Answers are cached already serialised (the response schemas document them).
  const sendVerification = async (reply: FastifyReply, certId: string) =>
    reply.type('application/json; charset=utf-8').send(await svc.verifyJson(certId));

  app.get('/beak/cert/verify', {
    schema: {
      tags, summary: 'Verify a birth certificate (public)', querystring: Type.Object({ cert_id: CertId }),
      response: { 200: Verification, ...notFound },
    },
  }, async (request, reply) => sendVerification(reply, request.query.cert_id));

  app.post('/beak/cert/verify', {
    schema: { tags, summary: 'Verify a birth certificate (public)', body: Type.Object({ cert_id: CertId }), response: { 200: Verification, ...notFound } },
  }, async (request, reply) => sendVerification(reply, request.body.cert_id));

  app.post('/beak/cert', {
    schema: {
      tags, summary: 'Verify a birth certificate (public; the seed-000 form)',
      body: Type.Object({ action: Type.Literal('verify'), cert_id: CertId }),
      response: { 200: Verification, ...notFound },
    },
  }, async (request, reply) => sendVerification(reply, request.body.cert_id));

  const view = {
    schema: {
      tags, summary: "The caller's certificate in full; with `cert_id` and no credential, that certificate's public fields",
      querystring: Type.Object({ cert_id: Type.Optional(CertId) }), response: { 200: CertView, ...notFound },
    },
    config: { auth: 'optional' as const },
  };
  const viewHandler = async (request: FastifyRequest<{ Querystring: Static<typeof view.schema.querystring> }>) => {
    const p = request.principal;
    if (request.query.cert_id !== undefined) {
      const row = await svc.byId(request.query.cert_id);
      return p && p.ducklingId === row.duckling_id ? svc.ownerView(row) : svc.publicView(row);
    }
    if (!p) throw errors.unauthorized('Sign in to view your certificate, or pass cert_id for its public fields');
    return svc.ownerView(await svc.mine(p.ducklingId));
  };
  app.get('/beak/cert/view', view, viewHandler);
  app.get('/beak/certificate', view, viewHandler);

  app.post('/beak/cert/issue', {
    schema: { tags, summary: 'The current valid certificate, or a new one if the last was revoked (idempotent; T1+)', response: { 200: OwnerCert } },
    config: { auth: 'required', minTier: 'T1' },
  }, async (request) => svc.ownerView(await svc.ensureValid(operator(request.principal!), ctxOf(request))));

  app.post('/beak/cert/revoke', {
    schema: {
      tags, summary: 'Revoke your valid certificate; verification and the status list show it at once',
      body: Type.Object({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 280, description: 'Defaults to "unspecified"' })) }),
      response: { 200: Type.Object({ cert_id: Type.String(), status: Type.Literal('revoked'), revoked_at: Type.String(), reason: Type.String() }) },
    },
    config: { auth: 'required' },
  }, async (request) => {
    const row = await svc.revoke(operator(request.principal!), request.body.reason?.trim() || 'unspecified', ctxOf(request));
    return { cert_id: row.id, status: 'revoked' as const, revoked_at: iso(row.revoked_at)!, reason: row.reason! };
  });

  app.get('/beak/cert/status-list', {
    schema: {
      tags, summary: 'The revocation list as a signed BitstringStatusListCredential (VC-JWT); `Accept: application/vc+jwt` for the bare JWS',
      response: { 200: StatusListBody, 304: Type.Null() },
    },
  }, async (request, reply) => sendStatusList(request, reply, await svc.statusList()));
}

function sendStatusList(request: FastifyRequest, reply: FastifyReply, list: { json: string; jws: string; etag: string }) {
  const jwt = /application\/(vc\+)?jwt/.test(request.headers.accept ?? '');
  const etag = jwt ? list.etag.replace(/"$/, '-jwt"') : list.etag;
  reply.header('etag', etag).header('cache-control', `public, max-age=${STATUS_LIST_TTL_MS / 1000}`).header('vary', 'Accept');
  if (matches(request.headers['if-none-match'], etag)) return reply.status(304).send();
  return jwt ? reply.type('application/vc+jwt').send(list.jws) : reply.type('application/json').send(list.json);
}

/** If-None-Match: `*`, or a list of (possibly weak) entity tags compared weakly (RFC 9110 §13.1.2). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
