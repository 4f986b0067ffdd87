// Webhook endpoints, the per-endpoint deliveries of each event (the outbox rows the worker
// claims) and every attempt made.
import type { Kysely, Migration } from 'kysely';

export interface WebhookEndpointRow {
  id: string; duckling_id: string; url: string;
  /** JSON array of canonical event types, or ["*"]. */
  events: string; description: string | null;
  /** enabled | disabled */
  status: string;
  secret_sealed: string; prev_secret_sealed: string | null; prev_secret_until: number | null;
  created_at: number; updated_at: number;
  /** First failure of the current unbroken run of failures (null once anything succeeds). */
  failing_since: number | null; disabled_reason: string | null;
}

export interface WebhookDeliveryRow {
  id: string; event_id: string; endpoint_id: string; event_type: string;
  /** pending | succeeded | failed */
  status: string;
  /** Attempts in the current round (replay and recovery start a new round). */
  attempts: number;
  /** When the worker may next take it; while claimed, the end of the lease. */
  next_attempt_at: number;
  locked_until: number | null; lock_token: string | null;
  last_status_code: number | null; last_error: string | null;
  /** The frozen body of a synthetic (tester) event, which has no row in `events`. */
  payload: string | null;
  created_at: number; updated_at: number;
}

export interface WebhookAttemptRow {
  id: string; delivery_id: string; event_id: string; endpoint_id: string; ok: number; status_code: number | null;
  duration_ms: number; response_excerpt: string | null; error: string | null; created_at: number;
}

export interface WebhookTables {
  webhook_endpoints: WebhookEndpointRow;
  webhook_deliveries: WebhookDeliveryRow;
  webhook_attempts: WebhookAttemptRow;
}

export const migrations: Record<string, Migration> = {
  '0009_webhooks': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('webhook_endpoints')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('duckling_id', 'text', (c) => c.notNull().references('ducklings.id').onDelete('cascade'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        .addColumn('prev_secret_sealed', 'text')
        .addColumn('prev_secret_until', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('failing_since', 'bigint')
        .addColumn('disabled_reason', 'text').execute();
      await db.schema.createIndex('webhook_endpoints_duckling').on('webhook_endpoints').columns(['duckling_id', 'id']).execute();
      await db.schema.createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('locked_until', 'bigint')
        .addColumn('lock_token', 'text')
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('payload', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
      // One delivery per (endpoint, event): replays reuse it, and a duplicate enqueue is impossible.
      await db.schema.createIndex('webhook_deliveries_endpoint_event').on('webhook_deliveries').columns(['endpoint_id', 'event_id']).unique().execute();
      await db.schema.createTable('webhook_attempts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('endpoint_id', 'text', (c) => c.notNull())
        .addColumn('ok', 'integer', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('response_excerpt', 'text')
        .addColumn('error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createIndex('webhook_attempts_endpoint').on('webhook_attempts').columns(['endpoint_id', 'id']).execute();
      await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').column('delivery_id').execute();
    },
  },
};
