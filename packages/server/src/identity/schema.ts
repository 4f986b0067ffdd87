// Ducklings (operator accounts), one-time codes, passkeys and their challenges, sign-in attempts.
import type { Kysely, Migration } from 'kysely';

export interface DucklingRow {
  id: string; email: string; email_verified: number; password_hash: string | null;
  display_name: string; display_name_key: string; bio: string | null; directory_visible: number;
  trust_tier: string; phone: string | null; phone_verified: number; status: string;
  name_changed_at: number | null; suspended_at: number | null; suspend_reason: string | null;
  last_seen: number | null; last_status: string | null; last_meta: string | null;
  created_at: number; updated_at: number; verified_at: number | null;
}

export interface PasskeyRow {
  id: string; duckling_id: string; credential_id: string; public_key: string; counter: number;
  transports: string | null; name: string | null; device_type: string | null; backed_up: number;
  created_at: number; last_used_at: number | null;
}

export interface IdentityTables {
  ducklings: DucklingRow;
  otps: { purpose: string; subject: string; code_hash: string; attempts: number; expires_at: number; sent_at: number };
  passkeys: PasskeyRow;
  webauthn_challenges: { challenge: string; duckling_id: string | null; purpose: string; expires_at: number };
  /** Sign-in attempts per account (keyed by an HMAC of the email, so unknown emails lock out alike). */
  signin_attempts: { id: string; subject: string; at: number };
}

export const migrations: Record<string, Migration> = {
  '0002_identity': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('ducklings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('email_verified', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('password_hash', 'text')
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('display_name_key', 'text', (c) => c.notNull().unique())
        .addColumn('bio', 'text')
        .addColumn('directory_visible', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('trust_tier', 'text', (c) => c.notNull())
        .addColumn('phone', 'text')
        .addColumn('phone_verified', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('name_changed_at', 'bigint')
        .addColumn('suspended_at', 'bigint')
        .addColumn('suspend_reason', 'text')
        .addColumn('last_seen', 'bigint')
        .addColumn('last_status', 'text')
        .addColumn('last_meta', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('verified_at', 'bigint').execute();
      // The purge sweeper looks for old unverified accounts.
      await db.schema.createIndex('ducklings_unverified').on('ducklings').columns(['email_verified', 'created_at']).execute();
      await db.schema.createIndex('ducklings_directory').on('ducklings').columns(['directory_visible', 'display_name_key']).execute();
      await db.schema.createTable('otps')
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('sent_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('otps_pk', ['purpose', 'subject']).execute();
      await db.schema.createTable('passkeys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('duckling_id', 'text', (c) => c.notNull().references('ducklings.id').onDelete('cascade'))
        .addColumn('credential_id', 'text', (c) => c.notNull().unique())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('counter', 'bigint', (c) => c.notNull())
        .addColumn('transports', 'text')
        .addColumn('name', 'text')
        .addColumn('device_type', 'text')
        .addColumn('backed_up', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint').execute();
      await db.schema.createIndex('passkeys_duckling').on('passkeys').column('duckling_id').execute();
      await db.schema.createTable('webauthn_challenges')
        .addColumn('challenge', 'text', (c) => c.primaryKey())
        .addColumn('duckling_id', 'text')
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createTable('signin_attempts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createIndex('signin_attempts_subject').on('signin_attempts').columns(['subject', 'at']).execute();
    },
  },
};
