// Certificate and status-slot queries. Every method takes the transaction when it runs in one.
import type { Db } from '../db/index.js';
import type { Tx } from '../events/bus.js';
import type { CertRow } from './schema.js';

/** What the status list depends on: how many slots are dead, and the highest slot taken. */
export interface ListFingerprint { dead: number; maxIndex: number }

export class CertStore {
  constructor(private readonly db: Db) {}

  private q(tx?: Tx): Tx { return tx ?? this.db.kysely; }

  byId(id: string, tx?: Tx): Promise<CertRow | undefined> {
    return this.q(tx).selectFrom('certificates').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The newest certificate of a duckling, whatever its status. */
  latest(ducklingId: string, tx?: Tx): Promise<CertRow | undefined> {
    return this.q(tx).selectFrom('certificates').selectAll().where('duckling_id', '=', ducklingId)
      .orderBy('id', 'desc').limit(1).executeTakeFirst();
  }

  valid(ducklingId: string, tx?: Tx): Promise<CertRow | undefined> {
    return this.q(tx).selectFrom('certificates').selectAll().where('duckling_id', '=', ducklingId)
      .where('status', '=', 'valid').executeTakeFirst();
  }

  async insert(tx: Tx, row: CertRow): Promise<void> {
    await tx.insertInto('cert_status_slots').values({ status_index: row.status_index, cert_id: row.id, revoked_at: null }).execute();
    await tx.insertInto('certificates').values(row).execute();
  }

  /** Marks the duckling's valid certificates superseded by `by`; returns what it changed. */
  async supersede(tx: Tx, ducklingId: string, by: string, at: number): Promise<Array<Pick<CertRow, 'id' | 'status_index'>>> {
    const old = await tx.updateTable('certificates').set({ status: 'superseded', superseded_by: by })
      .where('duckling_id', '=', ducklingId).where('status', '=', 'valid').returning(['id', 'status_index']).execute();
    for (const c of old) await this.killSlot(tx, c.status_index, at);
    return old;
  }

  /** valid → revoked, only if still valid (a concurrent revoke or re-issue wins otherwise). */
  async revoke(tx: Tx, cert: CertRow, reason: string, at: number): Promise<boolean> {
    const r = await tx.updateTable('certificates').set({ status: 'revoked', revoked_at: at, reason })
      .where('id', '=', cert.id).where('status', '=', 'valid').executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await this.killSlot(tx, cert.status_index, at);
    return true;
  }

  private async killSlot(tx: Tx, index: number, at: number): Promise<void> {
    await tx.updateTable('cert_status_slots').set({ revoked_at: at }).where('status_index', '=', index).where('revoked_at', 'is', null).execute();
  }

  async slotTaken(tx: Tx, index: number): Promise<boolean> {
    return !!(await tx.selectFrom('cert_status_slots').select('status_index').where('status_index', '=', index).executeTakeFirst());
  }

  async slotCount(tx: Tx): Promise<number> {
    const r = await tx.selectFrom('cert_status_slots').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async listFingerprint(): Promise<ListFingerprint> {
    const k = this.db.kysely;
    const [dead, max] = await Promise.all([
      k.selectFrom('cert_status_slots').select((eb) => eb.fn.countAll<number>().as('n')).where('revoked_at', 'is not', null).executeTakeFirstOrThrow(),
      k.selectFrom('cert_status_slots').select((eb) => eb.fn.max('status_index').as('m')).executeTakeFirstOrThrow(),
    ]);
    return { dead: Number(dead.n), maxIndex: max.m == null ? -1 : Number(max.m) };
  }

  async deadSlots(): Promise<number[]> {
    const rows = await this.db.kysely.selectFrom('cert_status_slots').select('status_index').where('revoked_at', 'is not', null).execute();
    return rows.map((r) => Number(r.status_index));
  }
}
