// The credential resolver of CONTRACT §1.2, in order of precedence:
// Authorization: Bearer (session JWT or Beak Key) → X-Beak-Key → body `beak_key` → query `beak_key`.
import type { FastifyRequest } from 'fastify';
import { errors } from '../kernel/errors.js';
import type { Principal, Tier } from '../kernel/principal.js';
import type { KeyService } from '../keys/service.js';
import type { Db } from '../db/index.js';
import type { Sessions } from './service.js';

export function presentedCredential(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && auth.length) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (!m) throw errors.unauthorized('Authorization must be "Bearer <token>"');
    return m[1];
  }
  const header = request.headers['x-beak-key'];
  if (typeof header === 'string' && header.length) return header.trim();
  const body = request.body as { beak_key?: unknown } | undefined;
  if (body && typeof body === 'object' && typeof body.beak_key === 'string' && body.beak_key) return body.beak_key;
  const query = request.query as { beak_key?: unknown } | undefined;
  if (query && typeof query.beak_key === 'string' && query.beak_key) return query.beak_key;
  return undefined;
}

export class CredentialResolver {
  constructor(private readonly db: Db, private readonly sessions: Sessions, private readonly keys: KeyService) {}

  /** undefined when nothing was presented; throws 401 when something was presented and is not valid. */
  async resolve(request: FastifyRequest): Promise<Principal | undefined> {
    const credential = presentedCredential(request);
    if (credential === undefined) return undefined;
    const principal = credential.startsWith('bk_') ? await this.keys.authenticate(credential) : await this.fromSession(credential);
    if (!principal) throw errors.unauthorized(credential.startsWith('bk_') ? 'Invalid or missing Beak Key' : 'Invalid or expired session token');
    return principal;
  }

  private async fromSession(token: string): Promise<Principal | null> {
    if (!token.startsWith('eyJ')) return null;
    const s = await this.sessions.verify(token);
    if (!s) return null;
    const d = await this.db.kysely.selectFrom('ducklings').select(['trust_tier', 'status']).where('id', '=', s.ducklingId).executeTakeFirst();
    if (!d || d.status !== 'active') return null;
    return { kind: 'duckling', id: s.ducklingId, ducklingId: s.ducklingId, tier: d.trust_tier as Tier, via: 'session', sessionId: s.sessionId };
  }
}
