// Tables of the platform: generated secrets, events (the outbox every feature writes to),
// audit entries, the development mailbox, waitlist, page views, support tickets, idempotency.
import type { Kysely, Migration } from 'kysely';

export interface PlatformTables {
  secrets: { name: string; value: string; created_at: number };
  events: {
    id: string; type: string; duckling_id: string | null; actor_id: string | null; subject_id: string | null;
    data: string; created_at: number;
  };
  audit_entries: {
    id: string; duckling_id: string; event_type: string; actor_id: string | null; target_id: string | null;
    ip: string | null; user_agent: string | null; detail: string; created_at: number;
  };
  mailbox: { id: string; channel: string; to_addr: string; subject: string; text: string; otp: string | null; created_at: number };
  newsletter_subscribers: { email: string; partner_type: string | null; created_at: number };
  pageviews: { id: string; page: string; referrer: string | null; created_at: number };
  support_tickets: { id: string; email: string; subject: string | null; message: string; status: string; created_at: number };
  idempotency_keys: { key: string; request_hash: string; status_code: number; body: string; created_at: number };
}

export const migrations: Record<string, Migration> = {
  '0001_platform': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createTable('events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('duckling_id', 'text')
        .addColumn('actor_id', 'text')
        .addColumn('subject_id', 'text')
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createIndex('events_duckling').on('events').columns(['duckling_id', 'id']).execute();
      await db.schema.createTable('audit_entries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('duckling_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('target_id', 'text')
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createIndex('audit_duckling').on('audit_entries').columns(['duckling_id', 'id']).execute();
      await db.schema.createTable('mailbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('to_addr', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('otp', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createIndex('mailbox_to').on('mailbox').columns(['to_addr', 'id']).execute();
      await db.schema.createTable('newsletter_subscribers')
        .addColumn('email', 'text', (c) => c.primaryKey())
        .addColumn('partner_type', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createTable('pageviews')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('page', 'text', (c) => c.notNull())
        .addColumn('referrer', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createTable('support_tickets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createTable('idempotency_keys')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
    },
  },
};
