// Pecks (trust-bond requests) and the bonds (connections) they create.
import { sql, type Kysely, type Migration } from 'kysely';

export interface PeckRow {
  id: string; requester_id: string; requester_type: string; requester_duckling_id: string;
  target_id: string; target_type: string; target_duckling_id: string; target_email: string | null;
  purpose: string | null; action: string | null; scope: string | null; payload: string | null;
  status: string; created_at: number; expires_at: number; decided_at: number | null; reason: string | null;
  connection_id: string | null; pair_key: string;
}

export interface ConnectionRow {
  id: string; peck_id: string | null; requester_id: string; requester_type: string; requester_duckling_id: string;
  target_id: string; target_type: string; target_duckling_id: string; scope: string | null;
  pair_key: string; bonded_at: number; removed_at: number | null;
}

export interface PeckTables { pecks: PeckRow; connections: ConnectionRow }

export const migrations: Record<string, Migration> = {
  '0008_pecks': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('pecks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('requester_id', 'text', (c) => c.notNull())
        .addColumn('requester_type', 'text', (c) => c.notNull())
        .addColumn('requester_duckling_id', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_duckling_id', 'text', (c) => c.notNull())
        .addColumn('target_email', 'text')
        .addColumn('purpose', 'text')
        .addColumn('action', 'text')
        .addColumn('scope', 'text')
        .addColumn('payload', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('decided_at', 'bigint')
        .addColumn('reason', 'text')
        .addColumn('connection_id', 'text')
        .addColumn('pair_key', 'text', (c) => c.notNull()).execute();
      await db.schema.createIndex('pecks_requester').on('pecks').columns(['requester_duckling_id', 'id']).execute();
      await db.schema.createIndex('pecks_target').on('pecks').columns(['target_duckling_id', 'id']).execute();
      await db.schema.createIndex('pecks_requester_id').on('pecks').columns(['requester_id', 'id']).execute();
      await db.schema.createIndex('pecks_target_id').on('pecks').columns(['target_id', 'id']).execute();
      await db.schema.createIndex('pecks_pending').on('pecks').columns(['status', 'expires_at']).execute();
      // At most one pending peck per pair (either direction): concurrent duplicates collapse into one.
      await db.schema.createIndex('pecks_pending_pair').on('pecks').column('pair_key').unique().where(sql.ref('status'), '=', 'pending').execute();
      await db.schema.createTable('connections')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('peck_id', 'text')
        .addColumn('requester_id', 'text', (c) => c.notNull())
        .addColumn('requester_type', 'text', (c) => c.notNull())
        .addColumn('requester_duckling_id', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_duckling_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text')
        .addColumn('pair_key', 'text', (c) => c.notNull())
        .addColumn('bonded_at', 'bigint', (c) => c.notNull())
        .addColumn('removed_at', 'bigint').execute();
      // One live bond per pair, enforced by the database (racing approvals cannot make two).
      await db.schema.createIndex('connections_live_pair').on('connections').column('pair_key').unique().where(sql.ref('removed_at'), 'is', null).execute();
      await db.schema.createIndex('connections_requester').on('connections').columns(['requester_duckling_id', 'id']).execute();
      await db.schema.createIndex('connections_target').on('connections').columns(['target_duckling_id', 'id']).execute();
      await db.schema.createIndex('connections_requester_id').on('connections').column('requester_id').execute();
      await db.schema.createIndex('connections_target_id').on('connections').column('target_id').execute();
    },
  },
};
