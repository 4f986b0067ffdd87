// Server-side sessions (so a sign-out is seen by every node) and the token signing keys.
import type { Kysely, Migration } from 'kysely';

export interface SessionTables {
  sessions: {
    id: string; duckling_id: string; audience: string | null; method: string; created_at: number; expires_at: number;
    revoked_at: number | null; ip: string | null; user_agent: string | null;
  };
  signing_keys: { kid: string; public_jwk: string; private_sealed: string; created_at: number; retired_at: number | null };
}

export const migrations: Record<string, Migration> = {
  '0003_sessions': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('duckling_id', 'text', (c) => c.notNull().references('ducklings.id').onDelete('cascade'))
        .addColumn('audience', 'text')
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text').execute();
      await db.schema.createIndex('sessions_duckling').on('sessions').column('duckling_id').execute();
      await db.schema.createTable('signing_keys')
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('public_jwk', 'text', (c) => c.notNull())
        .addColumn('private_sealed', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('retired_at', 'bigint').execute();
    },
  },
};
