// Peck and bond queries. Every write that decides something is conditional (`where status =
// 'pending'`, `where removed_at is null`), so concurrent requests on any node settle on one outcome.
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../db/index.js';
import type { Database } from '../db/types.js';
import type { Tx } from '../events/bus.js';
import type { ConnectionRow, PeckRow } from './schema.js';

/** A duckling or an agent, as the Peck Protocol sees it. */
export interface Party {
  kind: 'duckling' | 'agent'; id: string; ducklingId: string;
  displayName: string; tier: string; email: string; operatorName: string;
}

/** Whose pecks and bonds a caller sees: a duckling sees its own and its agents'; an agent only its own. */
export interface Viewer { kind: 'duckling' | 'agent'; id: string; ducklingId: string }

export type PeckStatusFilter = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';

export interface ConnectionWithNames extends ConnectionRow {
  requester_name: string | null; requester_tier: string | null; target_name: string | null; target_tier: string | null;
}

type Side = 'requester' | 'target';

/** Order-free key of two identities: A→B and B→A are the same pair. */
export const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

export class PeckStore {
  constructor(private readonly db: Db) {}

  private q(tx?: Tx) { return tx ?? this.db.kysely; }

  // ── parties ────────────────────────────────────────────────────────────────────────────────

  /** A verified, active duckling or a live agent of one; undefined for anything else. */
  async party(id: string, tx?: Tx): Promise<Party | undefined> {
    if (id.startsWith('sd_')) {
      const a = await this.q(tx).selectFrom('agents as a').innerJoin('ducklings as d', 'd.id', 'a.duckling_id')
        .select(['a.id', 'a.name', 'a.duckling_id', 'd.display_name', 'd.trust_tier', 'd.email', 'd.status as d_status', 'd.email_verified'])
        .where('a.id', '=', id).where('a.status', '!=', 'deregistered').executeTakeFirst();
      if (!a || a.d_status !== 'active' || !a.email_verified) return undefined;
      return { kind: 'agent', id: a.id, ducklingId: a.duckling_id, displayName: a.name, tier: a.trust_tier, email: a.email, operatorName: a.display_name };
    }
    const d = await this.q(tx).selectFrom('ducklings').select(['id', 'display_name', 'trust_tier', 'email', 'status', 'email_verified'])
      .where('id', '=', id).executeTakeFirst();
    return d ? this.ducklingParty(d) : undefined;
  }

  async partyByEmail(email: string, tx?: Tx): Promise<Party | undefined> {
    const d = await this.q(tx).selectFrom('ducklings').select(['id', 'display_name', 'trust_tier', 'email', 'status', 'email_verified'])
      .where('email', '=', email).executeTakeFirst();
    return d ? this.ducklingParty(d) : undefined;
  }

  private ducklingParty(d: { id: string; display_name: string; trust_tier: string; email: string; status: string; email_verified: number }): Party | undefined {
    if (d.status !== 'active' || !d.email_verified) return undefined;
    return { kind: 'duckling', id: d.id, ducklingId: d.id, displayName: d.display_name, tier: d.trust_tier, email: d.email, operatorName: d.display_name };
  }

  async hasValidCertificate(ducklingId: string, tx?: Tx): Promise<boolean> {
    const c = await this.q(tx).selectFrom('certificates').select('id').where('duckling_id', '=', ducklingId)
      .where('status', '=', 'valid').executeTakeFirst();
    return !!c;
  }

  // ── pecks ──────────────────────────────────────────────────────────────────────────────────

  insertPeck(tx: Tx, row: PeckRow): Promise<unknown> {
    return tx.insertInto('pecks').values(row).execute();
  }

  peck(id: string, tx?: Tx): Promise<PeckRow | undefined> {
    return this.q(tx).selectFrom('pecks').selectAll().where('id', '=', id).executeTakeFirst();
  }

  pendingForPair(key: string, tx?: Tx): Promise<PeckRow | undefined> {
    return this.q(tx).selectFrom('pecks').selectAll().where('pair_key', '=', key).where('status', '=', 'pending').executeTakeFirst();
  }

  /** Decides a pending, unexpired peck; false when someone else decided it first (or it expired). */
  async decide(tx: Tx, id: string, now: number, patch: Pick<PeckRow, 'status' | 'reason' | 'connection_id'>): Promise<boolean> {
    const r = await tx.updateTable('pecks').set({ ...patch, decided_at: now })
      .where('id', '=', id).where('status', '=', 'pending').where('expires_at', '>', now).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Marks a pending peck past its expiry as expired; true only for the one caller that did it. */
  async expire(tx: Tx, id: string, now: number): Promise<boolean> {
    const r = await tx.updateTable('pecks').set({ status: 'expired', decided_at: now })
      .where('id', '=', id).where('status', '=', 'pending').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  dueForExpiry(now: number, limit: number): Promise<PeckRow[]> {
    return this.db.kysely.selectFrom('pecks').selectAll().where('status', '=', 'pending').where('expires_at', '<=', now)
      .orderBy('expires_at').limit(limit).execute();
  }

  history(v: Viewer, o: { direction?: 'sent' | 'received'; status?: PeckStatusFilter; before?: string; limit: number; now: number }): Promise<PeckRow[]> {
    let q = this.db.kysely.selectFrom('pecks').selectAll();
    q = o.direction ? q.where((eb) => seen(eb, v, o.direction === 'sent' ? 'requester' : 'target'))
      : q.where((eb) => eb.or([seen(eb, v, 'requester'), seen(eb, v, 'target')]));
    if (o.status === 'pending') q = q.where('status', '=', 'pending').where('expires_at', '>', o.now);
    else if (o.status === 'expired') {
      q = q.where((eb) => eb.or([eb('status', '=', 'expired'), eb.and([eb('status', '=', 'pending'), eb('expires_at', '<=', o.now)])]));
    } else if (o.status) q = q.where('status', '=', o.status);
    if (o.before) q = q.where('id', '<', o.before);
    return q.orderBy('id', 'desc').limit(o.limit).execute();
  }

  /** Live pecks waiting for this viewer's decision. */
  pendingFor(v: Viewer, now: number, limit: number): Promise<PeckRow[]> {
    return this.db.kysely.selectFrom('pecks').selectAll().where((eb) => seen(eb, v, 'target'))
      .where('status', '=', 'pending').where('expires_at', '>', now).orderBy('id', 'desc').limit(limit).execute();
  }

  // ── bonds ──────────────────────────────────────────────────────────────────────────────────

  insertConnection(tx: Tx, row: ConnectionRow): Promise<unknown> {
    return tx.insertInto('connections').values(row).execute();
  }

  connection(id: string, tx?: Tx): Promise<ConnectionRow | undefined> {
    return this.q(tx).selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
  }

  liveBond(key: string, tx?: Tx): Promise<ConnectionRow | undefined> {
    return this.q(tx).selectFrom('connections').selectAll().where('pair_key', '=', key).where('removed_at', 'is', null).executeTakeFirst();
  }

  /** Live bonds between `peerId` and any identity the viewer may act for. */
  liveBondsWithPeer(v: Viewer, peerId: string): Promise<ConnectionRow[]> {
    return this.db.kysely.selectFrom('connections').selectAll().where('removed_at', 'is', null)
      .where((eb) => eb.or([
        eb.and([seen(eb, v, 'requester'), eb('target_id', '=', peerId)]),
        eb.and([seen(eb, v, 'target'), eb('requester_id', '=', peerId)]),
      ])).limit(10).execute();
  }

  async removeConnection(tx: Tx, id: string, now: number): Promise<boolean> {
    const r = await tx.updateTable('connections').set({ removed_at: now }).where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Live bonds with both sides' display names and tiers (an agent's tier is its operator's). */
  connections(v: Viewer, o: { before?: string; limit: number }): Promise<ConnectionWithNames[]> {
    let q = this.db.kysely.selectFrom('connections as c')
      .leftJoin('ducklings as rd', 'rd.id', 'c.requester_duckling_id')
      .leftJoin('agents as ra', 'ra.id', 'c.requester_id')
      .leftJoin('ducklings as td', 'td.id', 'c.target_duckling_id')
      .leftJoin('agents as ta', 'ta.id', 'c.target_id')
      .selectAll('c')
      .select((eb) => [
        eb.fn.coalesce('ra.name', 'rd.display_name').as('requester_name'), 'rd.trust_tier as requester_tier',
        eb.fn.coalesce('ta.name', 'td.display_name').as('target_name'), 'td.trust_tier as target_tier',
      ])
      .where('c.removed_at', 'is', null)
      .where((eb) => eb.or(v.kind === 'agent'
        ? [eb('c.requester_id', '=', v.id), eb('c.target_id', '=', v.id)]
        : [eb('c.requester_duckling_id', '=', v.ducklingId), eb('c.target_duckling_id', '=', v.ducklingId)]));
    if (o.before) q = q.where('c.id', '<', o.before);
    return q.orderBy('c.id', 'desc').limit(o.limit).execute() as Promise<ConnectionWithNames[]>;
  }

  /** Live bonds in which the identity itself is a party (pulse's `active_bonds`). */
  async countLive(id: string): Promise<number> {
    const r = await this.db.kysely.selectFrom('connections').select((eb) => eb.fn.countAll().as('n')).where('removed_at', 'is', null)
      .where((eb) => eb.or([eb('requester_id', '=', id), eb('target_id', '=', id)])).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Everything still open around one identity: its pending pecks and live bonds. */
  async openAround(tx: Tx, id: string): Promise<{ pecks: PeckRow[]; bonds: ConnectionRow[] }> {
    const [pecks, bonds] = [
      await tx.selectFrom('pecks').selectAll().where('status', '=', 'pending')
        .where((eb) => eb.or([eb('requester_id', '=', id), eb('target_id', '=', id)])).execute(),
      await tx.selectFrom('connections').selectAll().where('removed_at', 'is', null)
        .where((eb) => eb.or([eb('requester_id', '=', id), eb('target_id', '=', id)])).execute(),
    ];
    return { pecks, bonds };
  }

  async cancel(tx: Tx, id: string, now: number, reason: string): Promise<boolean> {
    const r = await tx.updateTable('pecks').set({ status: 'cancelled', decided_at: now, reason })
      .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Both ducklings exist and are not suspended. */
  async bothActive(tx: Tx, a: string, b: string): Promise<boolean> {
    const rows = await tx.selectFrom('ducklings').select('id').where('id', 'in', [a, b]).where('status', '=', 'active').execute();
    return rows.length === new Set([a, b]).size;
  }
}

/** The condition "this side of the row belongs to the viewer". */
function seen(eb: ExpressionBuilder<Database, 'pecks' | 'connections'>, v: Viewer, side: Side) {
  return v.kind === 'agent' ? eb(`${side}_id`, '=', v.id) : eb(`${side}_duckling_id`, '=', v.ducklingId);
}
