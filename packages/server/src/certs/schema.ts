// Birth certificates. `status_index` is the certificate's slot in the revocation status list,
// drawn at random so that a list position says nothing about issue order.
//
// Slots live in their own table, with no foreign key to the duckling: a slot is never freed or
// reused and its bit is never cleared, even if the certificate row goes away. A signed JWS
// stays verifiable forever, so letting a later certificate inherit its index (or clearing the
// bit) would silently make a dead certificate look valid to offline verifiers.
import { sql, type Kysely, type Migration } from 'kysely';

export interface CertRow {
  id: string; duckling_id: string; display_name: string; trust_tier: string; status: string; status_index: number;
  issued_at: number; revoked_at: number | null; reason: string | null; superseded_by: string | null; jws: string;
}

export interface CertStatusSlotRow {
  status_index: number; cert_id: string;
  /** When the certificate stopped being valid (revoked or superseded); null while valid. */
  revoked_at: number | null;
}

export interface CertTables { certificates: CertRow; cert_status_slots: CertStatusSlotRow }

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
      // At most one valid certificate per duckling, whatever races between nodes.
      await db.schema.createIndex('certificates_one_valid').on('certificates').column('duckling_id').unique()
        .where(sql.ref('status'), '=', 'valid').execute();
      await db.schema.createTable('cert_status_slots')
        .addColumn('status_index', 'integer', (c) => c.primaryKey())
        .addColumn('cert_id', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint').execute();
      await db.schema.createIndex('cert_status_slots_revoked').on('cert_status_slots').column('revoked_at')
        .where(sql.ref('revoked_at'), 'is not', null).execute();
    },
  },
};
