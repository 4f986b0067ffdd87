// Birth certificates. `status_index` is the certificate's slot in the revocation status list,
// drawn at random so that a list position says nothing about issue order.
import type { Kysely, Migration } from 'kysely';

export interface CertRow {
  id: string; duckling_id: string; display_name: string; trust_tier: string; status: string; status_index: number;
  issued_at: number; revoked_at: number | null; reason: string | null; superseded_by: string | null; jws: string;
}

export interface CertTables { certificates: CertRow }

export const migrations: Record<string, Migration> = {
  '0006_certs': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('certificates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('duckling_id', 'text', (c) => c.notNull().references('ducklings.id').onDelete('cascade'))
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('trust_tier', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_index', 'integer', (c) => c.notNull().unique())
        .addColumn('issued_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .addColumn('reason', 'text')
        .addColumn('superseded_by', 'text')
        .addColumn('jws', 'text', (c) => c.notNull()).execute();
      await db.schema.createIndex('certificates_duckling').on('certificates').columns(['duckling_id', 'id']).execute();
    },
  },
};
