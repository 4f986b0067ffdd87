// Cross-domain SSO tokens: single use, five minutes, stored only as a SHA-256 hash.
import type { Kysely, Migration } from 'kysely';

export interface SsoTokenRow {
  id: string; token_hash: string; duckling_id: string; target_domain: string; scope: string | null;
  created_at: number; expires_at: number; consumed_at: number | null;
}

export interface SsoTables { sso_tokens: SsoTokenRow }

export const migrations: Record<string, Migration> = {
  '0007_sso': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('sso_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('duckling_id', 'text', (c) => c.notNull().references('ducklings.id').onDelete('cascade'))
        .addColumn('target_domain', 'text', (c) => c.notNull())
        .addColumn('scope', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('consumed_at', 'bigint').execute();
      await db.schema.createIndex('sso_tokens_expires').on('sso_tokens').column('expires_at').execute();
    },
  },
};
