// Space Duck queries. Pulses are written in batches (see pulses.ts); a pulse request itself only
// reads its live bond count, with a query compiled once.
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { Tx } from '../events/bus.js';
import type { AgentRow } from './schema.js';
import { Prepared } from '../keys/prepared.js';

/** The last pulse of one identity, waiting to be written. */
export interface PendingPulse { id: string; ducklingId: string; now: number; status: string; liveness: string; meta: string | null }

/** Rows per statement when writing pulses (well under every driver's parameter limit). */
const PULSE_CHUNK = 400;

type BondParams = { id: string; duckling: string };

export class AgentStore {
  private readonly bonds: Prepared<BondParams, { n: number | string }>;

  constructor(private readonly db: Db) {
    const k = db.kysely;
    // Live bonds where the identity itself is a party (indexed through the duckling columns).
    this.bonds = new Prepared(db, ['id', 'duckling'], (p) => k.selectFrom('connections')
      .select((e) => e.fn.countAll().as('n')).where('removed_at', 'is', null)
      .where((e) => e.or([
        e.and([e('requester_duckling_id', '=', p.duckling), e('requester_id', '=', p.id)]),
        e.and([e('target_duckling_id', '=', p.duckling), e('target_id', '=', p.id)]),
      ])));
  }

  async activeBonds(id: string, ducklingId: string): Promise<number> {
    return Number((await this.bonds.first({ id, duckling: ducklingId }))?.n ?? 0);
  }

  /**
   * Writes a batch of agents' last pulses. A pulse never moves `last_seen` backwards (another
   * node may have written a newer one), never touches a deregistered agent, and rewrites the
   * `liveness` column — hence its index — only for agents whose liveness changed.
   */
  async writeAgentPulses(tx: Tx, pulses: PendingPulse[]): Promise<void> {
    for (let i = 0; i < pulses.length; i += PULSE_CHUNK) {
      const values = sql.join(pulses.slice(i, i + PULSE_CHUNK).map((p) =>
        sql`(${p.id}, cast(${p.now} as bigint), ${p.status}, cast(${p.meta} as text), ${p.liveness})`));
      const fresh = sql`agents.id = v.id and agents.status != 'deregistered' and (agents.last_seen is null or agents.last_seen < v.seen)`;
      await sql`with v(id, seen, st, meta, lv) as (values ${values})
        update agents set last_seen = v.seen, last_status = v.st, last_meta = v.meta
        from v where ${fresh} and agents.liveness = v.lv`.execute(tx);
      await sql`with v(id, seen, st, meta, lv) as (values ${values})
        update agents set last_seen = v.seen, last_status = v.st, last_meta = v.meta, liveness = v.lv
        from v where ${fresh} and agents.liveness != v.lv`.execute(tx);
    }
  }

  /**
   * The same writes, on SQLite, as one synchronous transaction of per-row prepared statements:
   * cheaper than building and preparing a 400-row statement on every flush. `false` when another
   * transaction is open on the connection; the caller then takes the Kysely path above.
   */
  writePulsesNow(agents: PendingPulse[], ducklings: PendingPulse[]): boolean {
    if (!this.db.writeNow) return false;
    return this.db.writeNow((run) => {
      const fresh = "id = ? and status != 'deregistered' and (last_seen is null or last_seen < ?)";
      for (const p of agents) {
        const set = [p.now, p.status, p.meta];
        if (run(`update agents set last_seen = ?, last_status = ?, last_meta = ? where ${fresh} and liveness = ?`, [...set, p.id, p.now, p.liveness])) continue;
        run(`update agents set last_seen = ?, last_status = ?, last_meta = ?, liveness = ? where ${fresh} and liveness != ?`, [...set, p.liveness, p.id, p.now, p.liveness]);
      }
      for (const p of ducklings) {
        run('update ducklings set last_seen = ?, last_status = ?, last_meta = ? where id = ? and (last_seen is null or last_seen < ?)', [p.now, p.status, p.meta, p.id, p.now]);
      }
    });
  }

  /** Ducklings pulse too (seed 000); their liveness is computed from these columns on read. */
  async writeDucklingPulses(tx: Tx, pulses: PendingPulse[]): Promise<void> {
    for (let i = 0; i < pulses.length; i += PULSE_CHUNK) {
      const values = sql.join(pulses.slice(i, i + PULSE_CHUNK).map((p) =>
        sql`(${p.id}, cast(${p.now} as bigint), ${p.status}, cast(${p.meta} as text))`));
      await sql`with v(id, seen, st, meta) as (values ${values})
        update ducklings set last_seen = v.seen, last_status = v.st, last_meta = v.meta
        from v where ducklings.id = v.id and (ducklings.last_seen is null or ducklings.last_seen < v.seen)`.execute(tx);
    }
  }

  get(id: string, tx?: Tx): Promise<AgentRow | undefined> {
    return (tx ?? this.db.kysely).selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  insert(tx: Tx, row: AgentRow): Promise<unknown> {
    return tx.insertInto('agents').values(row).execute();
  }

  /** A duckling's agents, newest first, keyset-paginated. */
  list(ducklingId: string, q: { before?: string; limit: number; includeDeregistered: boolean }): Promise<AgentRow[]> {
    let query = this.db.kysely.selectFrom('agents').selectAll().where('duckling_id', '=', ducklingId);
    if (!q.includeDeregistered) query = query.where('status', '!=', 'deregistered');
    if (q.before) query = query.where('id', '<', q.before);
    return query.orderBy('id', 'desc').limit(q.limit).execute();
  }

  /** Completes the bond ceremony; false when the token was consumed concurrently. */
  async bond(tx: Tx, id: string, handshakeHash: string, now: number): Promise<boolean> {
    const r = await tx.updateTable('agents').set({ status: 'bonded', bonded_at: now, handshake_hash: null, handshake_expires_at: null })
      .where('id', '=', id).where('status', '=', 'registered').where('handshake_hash', '=', handshakeHash).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async setHandshake(tx: Tx, id: string, hash: string, expiresAt: number): Promise<boolean> {
    const r = await tx.updateTable('agents').set({ handshake_hash: hash, handshake_expires_at: expiresAt })
      .where('id', '=', id).where('status', '=', 'registered').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deregister(tx: Tx, id: string, now: number): Promise<boolean> {
    const r = await tx.updateTable('agents')
      .set({ status: 'deregistered', deregistered_at: now, liveness: 'terminated', handshake_hash: null, handshake_expires_at: null })
      .where('id', '=', id).where('status', '!=', 'deregistered').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * One page of agents announced as `liveness`, in id order after `after`. The sweeper filters
   * them by age itself: indexing the pulse time would make every pulse rewrite an index entry.
   */
  announced(liveness: string, after: string, limit: number): Promise<Pick<AgentRow, 'id' | 'duckling_id' | 'liveness' | 'last_seen'>[]> {
    return this.db.kysely.selectFrom('agents').select(['id', 'duckling_id', 'liveness', 'last_seen'])
      .where('liveness', '=', liveness).where('id', '>', after)
      .orderBy('id', 'asc').limit(limit).execute();
  }

  /**
   * The transition to inactive, conditional on nothing having changed since it was read: of
   * several nodes sweeping at once (or a pulse arriving meanwhile) exactly one outcome wins.
   */
  async markInactive(tx: Tx, a: { id: string; liveness: string; last_seen: number | null }): Promise<boolean> {
    if (a.last_seen == null) return false;
    const r = await tx.updateTable('agents').set({ liveness: 'inactive' })
      .where('id', '=', a.id).where('liveness', '=', a.liveness).where('last_seen', '=', a.last_seen)
      .where('status', '!=', 'deregistered').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
