// Duckling queries. Writes that race (verification, renames) are conditional UPDATEs whose
// affected-row count tells the caller whether it won.
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { Tx } from '../events/bus.js';
import type { DucklingRow } from './schema.js';

export interface DucklingSearch { q?: string; tier?: string; status?: string; verified?: boolean; before?: string; limit: number }

const affected = (r: { numUpdatedRows?: bigint; numDeletedRows?: bigint }): number => Number(r.numUpdatedRows ?? r.numDeletedRows ?? 0);

/** `%` and `_` in a search term are literal characters, not wildcards. */
const likeTerm = (q: string): string => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class DucklingStore {
  constructor(private readonly db: Db) {}

  byEmail(email: string, tx?: Tx): Promise<DucklingRow | undefined> {
    return (tx ?? this.db.kysely).selectFrom('ducklings').selectAll().where('email', '=', email).executeTakeFirst();
  }

  byId(id: string, tx?: Tx): Promise<DucklingRow | undefined> {
    return (tx ?? this.db.kysely).selectFrom('ducklings').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Whether another duckling already uses this (case-folded) display name. */
  async nameTaken(key: string, tx?: Tx, exceptId?: string): Promise<boolean> {
    let q = (tx ?? this.db.kysely).selectFrom('ducklings').select('id').where('display_name_key', '=', key);
    if (exceptId) q = q.where('id', '!=', exceptId);
    return !!(await q.executeTakeFirst());
  }

  insert(tx: Tx, row: DucklingRow): Promise<unknown> {
    return tx.insertInto('ducklings').values(row).execute();
  }

  update(tx: Tx, id: string, patch: Partial<DucklingRow>): Promise<unknown> {
    return tx.updateTable('ducklings').set(patch).where('id', '=', id).execute();
  }

  /** Marks the email verified; false when it already was (a concurrent verification won). */
  async markVerified(tx: Tx, id: string, tier: string, now: number): Promise<boolean> {
    const r = await tx.updateTable('ducklings').set({ email_verified: 1, trust_tier: tier, verified_at: now, updated_at: now })
      .where('id', '=', id).where('email_verified', '=', 0).executeTakeFirst();
    return affected(r) === 1;
  }

  /** Renames unless the last rename is newer than `notBefore`; false when throttled (or raced). */
  async rename(tx: Tx, id: string, name: string, key: string, now: number, notBefore: number): Promise<boolean> {
    const r = await tx.updateTable('ducklings').set({ display_name: name, display_name_key: key, name_changed_at: now, updated_at: now })
      .where('id', '=', id).where((eb) => eb.or([eb('name_changed_at', 'is', null), eb('name_changed_at', '<=', notBefore)]))
      .executeTakeFirst();
    return affected(r) === 1;
  }

  async setStatus(tx: Tx, id: string, from: string, to: string, patch: Partial<DucklingRow>): Promise<boolean> {
    const r = await tx.updateTable('ducklings').set({ ...patch, status: to }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
    return affected(r) === 1;
  }

  /** Unverified accounts created before `cutoff` (the purge). */
  unverifiedBefore(cutoff: number, limit: number): Promise<Pick<DucklingRow, 'id' | 'email' | 'created_at'>[]> {
    return this.db.kysely.selectFrom('ducklings').select(['id', 'email', 'created_at'])
      .where('email_verified', '=', 0).where('created_at', '<', cutoff).orderBy('created_at').limit(limit).execute();
  }

  /** Deletes an account only if it is still unverified; cascades to its sessions, keys and passkeys. */
  async deleteUnverified(tx: Tx, id: string, cutoff: number): Promise<boolean> {
    const r = await tx.deleteFrom('ducklings').where('id', '=', id).where('email_verified', '=', 0).where('created_at', '<', cutoff).executeTakeFirst();
    return affected(r) === 1;
  }

  /** Administrator search, newest first, keyset-paginated on the (time-sortable) id. */
  search(s: DucklingSearch): Promise<DucklingRow[]> {
    let q = this.db.kysely.selectFrom('ducklings').selectAll();
    if (s.q) {
      const term = likeTerm(s.q);
      q = q.where((eb) => eb.or([
        sql<boolean>`${eb.ref('email')} like ${term} escape '\\'`,
        sql<boolean>`${eb.ref('display_name_key')} like ${term} escape '\\'`,
        eb('id', '=', s.q!),
      ]));
    }
    if (s.tier) q = q.where('trust_tier', '=', s.tier);
    if (s.status) q = q.where('status', '=', s.status);
    if (s.verified !== undefined) q = q.where('email_verified', '=', s.verified ? 1 : 0);
    if (s.before) q = q.where('id', '<', s.before);
    return q.orderBy('id', 'desc').limit(s.limit + 1).execute();
  }

  /** Space Ducks currently registered (deregistered ones no longer count). */
  async agentCount(ducklingId: string): Promise<number> {
    const r = await this.db.kysely.selectFrom('agents').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('duckling_id', '=', ducklingId).where('status', '!=', 'deregistered').executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Whether the duckling or one of its agents has pulsed `active` since `since`. */
  async aliveSince(ducklingId: string, since: number): Promise<boolean> {
    const q = this.db.kysely;
    const self = await q.selectFrom('ducklings').select('id').where('id', '=', ducklingId)
      .where('last_status', '=', 'active').where('last_seen', '>=', since).executeTakeFirst();
    if (self) return true;
    const agent = await q.selectFrom('agents').select('id').where('duckling_id', '=', ducklingId).where('status', '!=', 'deregistered')
      .where('last_status', '=', 'active').where('last_seen', '>=', since).executeTakeFirst();
    return !!agent;
  }
}
