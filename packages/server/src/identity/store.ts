// Duckling queries.
import type { Db } from '../db/index.js';
import type { Tx } from '../events/bus.js';
import type { DucklingRow } from './schema.js';

export class DucklingStore {
  constructor(private readonly db: Db) {}

  byEmail(email: string, tx?: Tx): Promise<DucklingRow | undefined> {
    return (tx ?? this.db.kysely).selectFrom('ducklings').selectAll().where('email', '=', email).executeTakeFirst();
  }

  byId(id: string, tx?: Tx): Promise<DucklingRow | undefined> {
    return (tx ?? this.db.kysely).selectFrom('ducklings').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async nameTaken(key: string, tx?: Tx): Promise<boolean> {
    return !!(await (tx ?? this.db.kysely).selectFrom('ducklings').select('id').where('display_name_key', '=', key).executeTakeFirst());
  }

  insert(tx: Tx, row: DucklingRow): Promise<unknown> {
    return tx.insertInto('ducklings').values(row).execute();
  }

  update(tx: Tx, id: string, patch: Partial<DucklingRow>): Promise<unknown> {
    return tx.updateTable('ducklings').set(patch).where('id', '=', id).execute();
  }

  async agentCount(ducklingId: string): Promise<number> {
    const r = await this.db.kysely.selectFrom('agents').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('duckling_id', '=', ducklingId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}
