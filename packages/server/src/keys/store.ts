// Beak Key queries. The credential lookup joins the owner in one indexed query: it is the
// hot path of every agent request.
import type { Db } from '../db/index.js';
import type { Tx } from '../events/bus.js';
import type { BeakKeyRow } from './schema.js';

export interface KeyWithOwner {
  id: string; owner_type: 'duckling' | 'agent'; owner_id: string; duckling_id: string; status: string;
  expires_at: number; grace_until: number | null; trust_tier: string; duckling_status: string; agent_status: string | null;
}

export class KeyStore {
  constructor(private readonly db: Db) {}

  findByHash(hash: string): Promise<KeyWithOwner | undefined> {
    return this.db.kysely.selectFrom('beak_keys as k')
      .innerJoin('ducklings as d', 'd.id', 'k.duckling_id')
      .leftJoin('agents as a', 'a.id', 'k.owner_id')
      .select(['k.id', 'k.owner_type', 'k.owner_id', 'k.duckling_id', 'k.status', 'k.expires_at', 'k.grace_until',
        'd.trust_tier', 'd.status as duckling_status', 'a.status as agent_status'])
      .where('k.key_hash', '=', hash).executeTakeFirst() as Promise<KeyWithOwner | undefined>;
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

  listForDuckling(ducklingId: string): Promise<BeakKeyRow[]> {
    return this.db.kysely.selectFrom('beak_keys').selectAll().where('duckling_id', '=', ducklingId).orderBy('id', 'desc').execute();
  }

  /** Coalesced `last_used_at` writes: one UPDATE per key per flush, not one per request. */
  async touch(lastUsed: Map<string, number>): Promise<void> {
    for (const [id, at] of lastUsed) {
      await this.db.kysely.updateTable('beak_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    }
  }
}
