// Beak Key queries. The credential lookup joins the owner in one indexed query, compiled once:
// it is the hot path of every agent request.
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { Tx } from '../events/bus.js';
import type { BeakKeyRow } from './schema.js';
import { Prepared } from './prepared.js';
import { WatchedCache } from '../db/watched-cache.js';
import type { Watched } from '../db/write-watch.js';

/**
 * Every column the credential lookup reads, but `last_used_at` (a hint this node keeps current
 * itself): a write to any of them drops the remembered lookups.
 */
const CREDENTIAL_COLUMNS: Watched = {
  beak_keys: ['id', 'key_hash', 'owner_type', 'owner_id', 'duckling_id', 'status', 'expires_at', 'grace_until'],
  ducklings: ['id', 'trust_tier', 'status'],
  agents: ['id', 'status'],
};

export interface KeyWithOwner {
  id: string; owner_type: 'duckling' | 'agent'; owner_id: string; duckling_id: string; status: string;
  expires_at: number; grace_until: number | null; last_used_at: number | null;
  trust_tier: string; duckling_status: string; agent_status: string | null;
}

export type KeyStatusFilter = 'active' | 'expired' | 'revoked' | 'rotated';

export interface KeyListQuery { ownerId?: string; status?: KeyStatusFilter; before?: string; limit: number; now: number }

/** Keys whose lookup is remembered: ≈ 500 bytes each (measured), so ≈ 50 MB when full. */
const MAX_REMEMBERED_KEYS = 100_000;

/** Rows per statement when flushing `last_used_at` (well under every driver's parameter limit). */
const TOUCH_CHUNK = 400;

export class KeyStore {
  private readonly byHash: Prepared<{ hash: string }, KeyWithOwner>;
  private readonly cache: WatchedCache<KeyWithOwner> | null;

  constructor(private readonly db: Db) {
    this.byHash = new Prepared(db, ['hash'], (p) => db.kysely.selectFrom('beak_keys as k')
      .innerJoin('ducklings as d', 'd.id', 'k.duckling_id')
      .leftJoin('agents as a', 'a.id', 'k.owner_id')
      .select(['k.id', 'k.owner_type', 'k.owner_id', 'k.duckling_id', 'k.status', 'k.expires_at', 'k.grace_until', 'k.last_used_at',
        'd.trust_tier', 'd.status as duckling_status', 'a.status as agent_status'])
      .where('k.key_hash', '=', p.hash));
    this.cache = WatchedCache.over(db, CREDENTIAL_COLUMNS, { max: MAX_REMEMBERED_KEYS });
  }

  /**
   * The credential lookup: one indexed query (unique key_hash) joining the owner, remembered
   * where that is safe (db/watched-cache.ts). The row may be shared: only `last_used_at` may be
   * changed on it, by the one who records a use.
   */
  findByHash(hash: string): Promise<KeyWithOwner | undefined> {
    const load = () => this.byHash.first({ hash });
    return this.cache ? this.cache.get(hash, load) : load();
  }

  insert(tx: Tx, row: BeakKeyRow): Promise<unknown> {
    return tx.insertInto('beak_keys').values(row).execute();
  }

  get(tx: Tx, id: string): Promise<BeakKeyRow | undefined> {
    return tx.selectFrom('beak_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  primaryOf(tx: Tx, ownerId: string): Promise<BeakKeyRow | undefined> {
    return tx.selectFrom('beak_keys').selectAll().where('owner_id', '=', ownerId).where('is_primary', '=', 1)
      .where('status', '=', 'active').orderBy('id', 'desc').executeTakeFirst();
  }

  /** The current primary key of each owner (for the owner's agent list: preview and expiry). */
  primariesOf(ownerIds: string[], tx?: Tx): Promise<Pick<BeakKeyRow, 'id' | 'owner_id' | 'preview' | 'expires_at'>[]> {
    if (!ownerIds.length) return Promise.resolve([]);
    return (tx ?? this.db.kysely).selectFrom('beak_keys').select(['id', 'owner_id', 'preview', 'expires_at'])
      .where('owner_id', 'in', ownerIds).where('is_primary', '=', 1).where('status', '=', 'active').orderBy('id', 'asc').execute();
  }

  async countActive(tx: Tx, ownerId: string, now: number): Promise<number> {
    const r = await tx.selectFrom('beak_keys').select((eb) => eb.fn.countAll().as('n'))
      .where('owner_id', '=', ownerId).where('status', '=', 'active').where('expires_at', '>', now).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** The Key Manager: every key of a duckling and its agents, newest first, keyset-paginated. */
  list(ducklingId: string, q: KeyListQuery): Promise<BeakKeyRow[]> {
    let query = this.db.kysely.selectFrom('beak_keys').selectAll().where('duckling_id', '=', ducklingId);
    if (q.ownerId) query = query.where('owner_id', '=', q.ownerId);
    if (q.status === 'active') query = query.where('status', '=', 'active').where('expires_at', '>', q.now);
    else if (q.status === 'expired') query = query.where('status', '=', 'active').where('expires_at', '<=', q.now);
    else if (q.status) query = query.where('status', '=', q.status);
    if (q.before) query = query.where('id', '<', q.before);
    return query.orderBy('id', 'desc').limit(q.limit).execute();
  }

  /** Marks a key rotated; false when it was no longer active (a concurrent rotation or revocation won). */
  async markRotated(tx: Tx, id: string, replacedBy: string, graceUntil: number | null, now: number): Promise<boolean> {
    const r = await tx.updateTable('beak_keys').set({ status: 'rotated', replaced_by: replacedBy, grace_until: graceUntil, revoked_at: now })
      .where('id', '=', id).where('status', '=', 'active').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Revokes a key that still works (active, or rotated but inside its grace period). */
  async revoke(tx: Tx, id: string, now: number): Promise<boolean> {
    const r = await tx.updateTable('beak_keys').set({ status: 'revoked', revoked_at: now, grace_until: null })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('status', '=', 'active'), eb.and([eb('status', '=', 'rotated'), eb('grace_until', '>', now)])]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Every key of an owner stops working, including rotated keys still in their grace period. */
  async revokeAllOf(tx: Tx, ownerId: string, now: number): Promise<string[]> {
    const live = await tx.selectFrom('beak_keys').select('id').where('owner_id', '=', ownerId)
      .where((eb) => eb.or([eb('status', '=', 'active'), eb.and([eb('status', '=', 'rotated'), eb('grace_until', '>', now)])])).execute();
    await tx.updateTable('beak_keys').set({ status: 'revoked', revoked_at: now, grace_until: null })
      .where('owner_id', '=', ownerId).where('status', '=', 'active').execute();
    await tx.updateTable('beak_keys').set({ grace_until: null }).where('owner_id', '=', ownerId).where('grace_until', 'is not', null).execute();
    return live.map((r) => r.id);
  }

  /**
   * Coalesced `last_used_at` writes: one statement per few hundred keys per flush, never one
   * per request. Only moves forward, so nodes flushing in any order agree.
   */
  async touch(lastUsed: Map<string, number>): Promise<void> {
    const entries = [...lastUsed];
    for (let i = 0; i < entries.length; i += TOUCH_CHUNK) {
      const chunk = entries.slice(i, i + TOUCH_CHUNK);
      const values = sql.join(chunk.map(([id, at]) => sql`(${id}, cast(${at} as bigint))`));
      await sql`with v(id, at) as (values ${values})
        update beak_keys set last_used_at = v.at from v
        where beak_keys.id = v.id and (beak_keys.last_used_at is null or beak_keys.last_used_at < v.at)`.execute(this.db.kysely);
    }
  }
}
