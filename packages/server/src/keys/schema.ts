// Beak Keys: only the SHA-256 of the key is stored; the plaintext is shown once.
import type { Kysely, Migration } from 'kysely';

export interface BeakKeyRow {
  id: string; key_hash: string; owner_type: 'duckling' | 'agent'; owner_id: string; duckling_id: string;
  name: string | null; preview: string; is_primary: number; status: string; created_at: number; expires_at: number;
  last_used_at: number | null; revoked_at: number | null; replaced_by: string | null; grace_until: number | null;
}

export interface KeyTables { beak_keys: BeakKeyRow }

export const migrations: Record<string, Migration> = {
  '0004_keys': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('beak_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('owner_type', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('duckling_id', 'text', (c) => c.notNull().references('ducklings.id').onDelete('cascade'))
        .addColumn('name', 'text')
        .addColumn('preview', 'text', (c) => c.notNull())
        .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .addColumn('replaced_by', 'text')
        .addColumn('grace_until', 'bigint').execute();
      await db.schema.createIndex('beak_keys_duckling').on('beak_keys').columns(['duckling_id', 'id']).execute();
      await db.schema.createIndex('beak_keys_owner').on('beak_keys').columns(['owner_id', 'is_primary']).execute();
    },
  },
};
