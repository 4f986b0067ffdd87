// The public duckling directory (GET /beak/spaceducks, /beak/directory): masked profiles of
// verified, visible ducklings, ordered by display name, keyset-paginated on the unique
// case-folded name. Never an email: the profile is built field by field.
import { sql } from 'kysely';
import type { Deps } from '../app.js';
import { iso } from '../kernel/clock.js';
import { errors } from '../kernel/errors.js';
import { clampLimit } from '../kernel/pagination.js';
import type { Principal } from '../kernel/principal.js';
import type { DucklingRow } from '../identity/schema.js';
import { nameKey } from '../identity/names.js';
import { livenessOf } from './liveness.js';

export interface DirectoryQuery { limit?: number; tier?: string; q?: string; cursor?: string }

type Listed = Pick<DucklingRow, 'id' | 'display_name' | 'display_name_key' | 'bio' | 'trust_tier' | 'created_at'>;

/** Cursors carry the last case-folded name (Unicode), so they get their own codec. */
const encodeNameCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');
function decodeNameCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || key.length > 64 || encodeNameCursor(key) !== cursor) {
    throw errors.validation('Invalid cursor', [{ field: 'querystring.cursor', message: 'is not a cursor this server issued' }]);
  }
  return key;
}

const likePrefix = (s: string): string => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class Directory {
  constructor(private readonly d: Deps) {}

  /** Public: a duckling's agents are visible to others only when its profile is. */
  visible(r: Pick<DucklingRow, 'status' | 'email_verified' | 'directory_visible'>): boolean {
    return r.status === 'active' && r.email_verified === 1 && r.directory_visible === 1;
  }

  async list(q: DirectoryQuery, caller: Principal | undefined) {
    const limit = clampLimit(q.limit);
    const after = decodeNameCursor(q.cursor);
    let query = this.d.db.kysely.selectFrom('ducklings')
      .select(['id', 'display_name', 'display_name_key', 'bio', 'trust_tier', 'created_at'])
      .where('directory_visible', '=', 1).where('status', '=', 'active').where('email_verified', '=', 1);
    if (q.tier) query = query.where('trust_tier', '=', q.tier);
    const prefix = q.q?.normalize('NFC').trim();
    if (prefix) query = query.where(sql<boolean>`display_name_key like ${likePrefix(nameKey(prefix))} escape '\\'`);
    if (after) query = query.where('display_name_key', '>', after);
    const rows = await query.orderBy('display_name_key', 'asc').limit(limit + 1).execute();
    const items = rows.slice(0, limit);
    const next_cursor = rows.length > limit ? encodeNameCursor(items[items.length - 1]!.display_name_key) : null;
    const [profiles, me] = await Promise.all([this.profiles(items), caller ? this.me(caller) : undefined]);
    return { spaceducks: profiles, next_cursor, ...(me ? { me } : {}) };
  }

  private async profiles(rows: Listed[]) {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const [certs, counts] = await Promise.all([
      this.d.db.kysely.selectFrom('certificates').select(['duckling_id', 'id']).where('duckling_id', 'in', ids).where('status', '=', 'valid').execute(),
      this.d.db.kysely.selectFrom('agents').select(['duckling_id', (eb) => eb.fn.countAll().as('n')])
        .where('duckling_id', 'in', ids).where('status', '!=', 'deregistered').groupBy('duckling_id').execute(),
    ]);
    const certOf = new Map(certs.map((c) => [c.duckling_id, c.id]));
    const countOf = new Map(counts.map((c) => [c.duckling_id, Number(c.n)]));
    return rows.map((r) => ({
      duckling_id: r.id, display_name: r.display_name, bio: r.bio, trust_tier: r.trust_tier,
      cert_id: certOf.get(r.id) ?? null, certified: certOf.has(r.id), space_ducks: countOf.get(r.id) ?? 0,
      created_at: iso(r.created_at)!,
    }));
  }

  /** The caller's own full profile (a duckling), or its own owner view (an agent). */
  async me(p: Principal) {
    if (p.kind === 'agent') {
      const agent = await this.d.agents.store.get(p.id);
      return agent ? (await this.d.agents.ownerViews([agent]))[0] : undefined;
    }
    const k = this.d.db.kysely;
    const [d, cert, agents] = await Promise.all([
      k.selectFrom('ducklings').selectAll().where('id', '=', p.id).executeTakeFirst(),
      k.selectFrom('certificates').select(['id', 'status']).where('duckling_id', '=', p.id).orderBy('id', 'desc').executeTakeFirst(),
      k.selectFrom('agents').select(['status', (eb) => eb.fn.countAll().as('n')]).where('duckling_id', '=', p.id).groupBy('status').execute(),
    ]);
    if (!d) return undefined;
    const seen = this.d.agents.withPending(d);
    const total = agents.reduce((s, a) => s + Number(a.n), 0);
    const live = agents.filter((a) => a.status !== 'deregistered').reduce((s, a) => s + Number(a.n), 0);
    return {
      duckling_id: d.id, email: d.email, display_name: d.display_name, bio: d.bio, trust_tier: d.trust_tier,
      directory_visible: d.directory_visible === 1, email_verified: d.email_verified === 1, phone_verified: d.phone_verified === 1,
      cert_id: cert?.id ?? null, cert_status: cert?.status ?? null, egg_count: total, space_ducks: live,
      last_seen: iso(seen.last_seen), liveness: livenessOf(seen, this.d.clock.now()), created_at: iso(d.created_at)!,
    };
  }
}
