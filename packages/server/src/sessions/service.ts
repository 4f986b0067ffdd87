// Sessions: an EdDSA JWT (sub, sid, iat, exp) backed by a row, so that sign-out and password
// reset revoke it on every node at once.
import type { Db } from '../db/index.js';
import type { Clock } from '../kernel/clock.js';
import { iso } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import type { RequestContext, Tx } from '../events/bus.js';
import type { SigningKeys } from './signing.js';

export const API_AUDIENCE = 'spaceduck';

export interface IssuedSession {
  access_token: string; token: string; token_type: 'Bearer'; expires_at: string; expires_in: number; session_id: string;
}

export interface VerifiedSession { sessionId: string; ducklingId: string; audience: string }

export class Sessions {
  constructor(
    private readonly db: Db, private readonly clock: Clock, private readonly keys: SigningKeys,
    private readonly issuer: string, private readonly ttlSeconds: number,
  ) {}

  async issue(ducklingId: string, method: string, ctx: RequestContext, opts: { audience?: string; tx?: Tx } = {}): Promise<IssuedSession> {
    const now = this.clock.now();
    const sid = newId('ses', now);
    const exp = Math.floor(now / 1000) + this.ttlSeconds;
    const audience = opts.audience ?? API_AUDIENCE;
    await (opts.tx ?? this.db.kysely).insertInto('sessions').values({
      id: sid, duckling_id: ducklingId, audience: audience === API_AUDIENCE ? null : audience, method,
      created_at: now, expires_at: exp * 1000, revoked_at: null, ip: ctx.ip, user_agent: ctx.userAgent?.slice(0, 256) ?? null,
    }).execute();
    const token = await this.keys.sign({ iss: this.issuer, sub: ducklingId, aud: audience, sid, iat: Math.floor(now / 1000), exp });
    return { access_token: token, token, token_type: 'Bearer', expires_at: iso(exp * 1000)!, expires_in: this.ttlSeconds, session_id: sid };
  }

  /** Signature, expiry, audience and the server-side row; null when any of them fails. */
  async verify(token: string, audience = API_AUDIENCE): Promise<VerifiedSession | null> {
    let payload;
    try {
      payload = await this.keys.verify(token, { issuer: this.issuer, audience });
    } catch { return null; }
    if (typeof payload.sid !== 'string' || typeof payload.sub !== 'string') return null;
    const row = await this.db.kysely.selectFrom('sessions').select(['duckling_id', 'revoked_at', 'expires_at'])
      .where('id', '=', payload.sid).executeTakeFirst();
    if (!row || row.revoked_at != null || row.expires_at <= this.clock.now() || row.duckling_id !== payload.sub) return null;
    return { sessionId: payload.sid, ducklingId: payload.sub, audience };
  }

  async revoke(sessionId: string, tx?: Tx): Promise<void> {
    await (tx ?? this.db.kysely).updateTable('sessions').set({ revoked_at: this.clock.now() })
      .where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
  }

  async revokeAll(ducklingId: string, tx?: Tx): Promise<void> {
    await (tx ?? this.db.kysely).updateTable('sessions').set({ revoked_at: this.clock.now() })
      .where('duckling_id', '=', ducklingId).where('revoked_at', 'is', null).execute();
  }

  /** Forgets sessions that expired more than a day ago (the sweeper); they can no longer matter. */
  async sweep(): Promise<number> {
    const r = await this.db.kysely.deleteFrom('sessions').where('expires_at', '<', this.clock.now() - 86_400_000).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
