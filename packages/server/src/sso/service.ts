// Cross-domain SSO (CONTRACT §7): a duckling signed in here hands a relying domain a one-time
// token; the domain redeems it (verify) for the duckling's identity, or the duckling exchanges
// it (bridge) for a session whose audience is that target alone.
import type { Deps } from '../app.js';
import type { RequestContext } from '../events/bus.js';
import { errors } from '../kernel/errors.js';
import { iso } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import { randomBase62, sha256hex } from '../kernel/crypto.js';
import type { Principal } from '../kernel/principal.js';
import { SsoStore } from './store.js';
import type { SsoTokenRow } from './schema.js';

export const SSO_TOKEN_TTL_MS = 5 * 60_000;
/** Spent and expired tokens are kept this long (for support questions), then purged. */
const KEEP_MS = 24 * 60 * 60_000;
const TOKEN = /^sso_[0-9A-Za-z]{43}$/;

export type SsoVerification =
  | { valid: true; duckling_id: string; display_name: string; trust_tier: string; target_domain: string; scope: string | null; expires_at: string }
  | { valid: false; reason: 'unknown' | 'used' | 'expired' | 'inactive'; message: string };

const INVALID: Record<Exclude<SsoVerification, { valid: true }>['reason'], string> = {
  unknown: 'Unknown SSO token',
  used: 'This SSO token has already been used',
  expired: 'This SSO token has expired',
  inactive: 'The account behind this SSO token is not active',
};

/** The audience of a bridged session: accepted by `target`, refused by our own API. */
export const bridgeAudience = (target: string): string => `sso:${target}`;

export class SsoService {
  readonly store: SsoStore;

  constructor(private readonly d: Deps) {
    this.store = new SsoStore(d.db);
  }

  async issue(p: Principal, input: { target_domain: string; scope?: string }, ctx: RequestContext) {
    const ducklingId = operator(p);
    const domain = input.target_domain.toLowerCase().replace(/\.$/, '');
    if (!this.allowed(domain)) {
      throw errors.validation(`SSO to ${domain} is not allowed on this server`, [{ field: 'body.target_domain', message: 'is not in the allowed SSO domains' }]);
    }
    const now = this.d.clock.now();
    const token = `sso_${randomBase62(43)}`;
    const row: SsoTokenRow = {
      id: newId('sso', now), token_hash: sha256hex(token), duckling_id: ducklingId, target_domain: domain,
      scope: input.scope ?? null, created_at: now, expires_at: now + SSO_TOKEN_TTL_MS, consumed_at: null,
    };
    await this.d.db.kysely.transaction().execute(async (tx) => {
      await this.store.purge(tx, now - KEEP_MS);
      await this.store.insert(tx, row);
      await this.d.events.record(tx, {
        type: 'sso.issued', ducklingId, actorId: p.id, subjectId: row.id, ctx,
        data: { sso_id: row.id, target_domain: domain, scope: row.scope, expires_at: iso(row.expires_at) },
      });
    });
    return { sso_token: token, target_domain: domain, scope: row.scope, expires_at: iso(row.expires_at)! };
  }

  /** Redeems the token (public): the first call learns who it is, every later one `valid: false`. */
  async verify(token: string, ctx: RequestContext): Promise<SsoVerification> {
    if (!TOKEN.test(token)) return invalid('unknown');
    const hash = sha256hex(token);
    const now = this.d.clock.now();
    return this.d.db.kysely.transaction().execute(async (tx): Promise<SsoVerification> => {
      if (!(await this.store.consume(tx, hash, now))) {
        const row = await this.store.byHash(hash, tx);
        return invalid(!row ? 'unknown' : row.consumed_at != null ? 'used' : 'expired');
      }
      const row = (await this.store.byHash(hash, tx))!;
      const d = await tx.selectFrom('ducklings').select(['display_name', 'trust_tier', 'status']).where('id', '=', row.duckling_id).executeTakeFirst();
      if (!d || d.status !== 'active') return invalid('inactive');
      await this.d.events.record(tx, {
        type: 'sso.verified', ducklingId: row.duckling_id, actorId: null, subjectId: row.id, ctx,
        data: { sso_id: row.id, target_domain: row.target_domain },
      });
      return {
        valid: true, duckling_id: row.duckling_id, display_name: d.display_name, trust_tier: d.trust_tier,
        target_domain: row.target_domain, scope: row.scope, expires_at: iso(row.expires_at)!,
      };
    });
  }

  /** The token's own duckling trades it for a session bound to `target`. */
  async bridge(p: Principal, input: { sso_token: string; target: string }, ctx: RequestContext) {
    const ducklingId = operator(p);
    const target = input.target.toLowerCase();
    const hash = sha256hex(input.sso_token);
    const now = this.d.clock.now();
    const out = await this.d.db.kysely.transaction().execute(async (tx) => {
      const row = TOKEN.test(input.sso_token) ? await this.store.byHash(hash, tx) : undefined;
      if (!row) throw errors.notFound(INVALID.unknown);
      // Checked first, so another duckling's token reveals nothing about its state.
      if (row.duckling_id !== ducklingId) throw errors.forbidden('This SSO token was issued to another duckling');
      if (!(await this.store.consume(tx, hash, now, ducklingId))) {
        const fresh = (await this.store.byHash(hash, tx))!;
        throw fresh.consumed_at != null ? errors.conflict(INVALID.used) : errors.expired(INVALID.expired);
      }
      const session = await this.d.sessions.issue(ducklingId, 'sso', ctx, { audience: bridgeAudience(target), tx });
      await this.d.events.record(tx, {
        type: 'sso.bridged', ducklingId, actorId: p.id, subjectId: row.id, ctx,
        data: { sso_id: row.id, target, target_domain: row.target_domain, session_id: session.session_id },
      });
      return session;
    });
    return {
      bridged: true as const, target, audience: bridgeAudience(target), access_token: out.access_token,
      token_type: 'Bearer' as const, expires_at: out.expires_at,
    };
  }

  /** No allow-list = any domain; `*.example.com` admits subdomains of example.com (not the apex). */
  allowed(domain: string): boolean {
    const list = this.d.config.ssoDomains;
    if (!list.length) return true;
    return list.some((entry) => entry === domain || (entry.startsWith('*.') && domain.endsWith(entry.slice(1))));
  }
}

function invalid(reason: Exclude<SsoVerification, { valid: true }>['reason']): SsoVerification {
  return { valid: false, reason, message: INVALID[reason] };
}

/** SSO speaks for the human operator, so an agent's credential may not start it. */
function operator(p: Principal): string {
  if (p.kind !== 'duckling') throw errors.forbidden('Only the operator (duckling) can use SSO; agents cannot');
  return p.ducklingId;
}
