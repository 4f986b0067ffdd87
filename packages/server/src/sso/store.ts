// SSO token queries. Redemption is one conditional UPDATE, so a token is spent exactly once
// however many nodes race for it.
import type { Db } from '../db/index.js';
import type { Tx } from '../events/bus.js';
import type { SsoTokenRow } from './schema.js';

export class SsoStore {
  constructor(private readonly db: Db) {}

  async insert(tx: Tx, row: SsoTokenRow): Promise<void> {
    await tx.insertInto('sso_tokens').values(row).execute();
  }

  byHash(hash: string, tx?: Tx): Promise<SsoTokenRow | undefined> {
    return (tx ?? this.db.kysely).selectFrom('sso_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }

  /** Spends the token if it is unspent and unexpired (and, when given, belongs to `ducklingId`). */
  async consume(tx: Tx, hash: string, now: number, ducklingId?: string): Promise<boolean> {
    let q = tx.updateTable('sso_tokens').set({ consumed_at: now })
      .where('token_hash', '=', hash).where('consumed_at', 'is', null).where('expires_at', '>', now);
    if (ducklingId) q = q.where('duckling_id', '=', ducklingId);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Deletes tokens that expired before `before` (spent or not, they can no longer be used). */
  async purge(tx: Tx, before: number): Promise<void> {
    await tx.deleteFrom('sso_tokens').where('expires_at', '<', before).execute();
  }
}
