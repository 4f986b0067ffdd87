// Webhook queries: endpoints, the delivery outbox (claimed with leases) and the attempts log.
import type { Db } from '../db/index.js';
import type { Tx } from '../events/bus.js';
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from './schema.js';

/** A claimed delivery with everything needed to send it. */
export interface ClaimedDelivery {
  id: string; event_id: string; event_type: string; attempts: number; lock_token: string | null; payload: string | null;
  endpoint_id: string; duckling_id: string; url: string; endpoint_status: string;
  secret_sealed: string; prev_secret_sealed: string | null; prev_secret_until: number | null;
  event_data: string | null; event_created_at: number | null;
}

export interface AttemptLogRow extends WebhookAttemptRow { event_type: string; delivery_status: string; next_attempt_at: number }

export type AttemptStatus = 'succeeded' | 'failed';

export class WebhookStore {
  constructor(private readonly db: Db) {}

  private q(tx?: Tx) { return tx ?? this.db.kysely; }

  // ── endpoints ──────────────────────────────────────────────────────────────

  insertEndpoint(tx: Tx, row: WebhookEndpointRow): Promise<unknown> {
    return tx.insertInto('webhook_endpoints').values(row).execute();
  }

  endpoint(id: string, ducklingId: string, tx?: Tx): Promise<WebhookEndpointRow | undefined> {
    return this.q(tx).selectFrom('webhook_endpoints').selectAll().where('id', '=', id).where('duckling_id', '=', ducklingId).executeTakeFirst();
  }

  endpoints(ducklingId: string, after: string | undefined, limit: number): Promise<WebhookEndpointRow[]> {
    let q = this.db.kysely.selectFrom('webhook_endpoints').selectAll().where('duckling_id', '=', ducklingId);
    if (after) q = q.where('id', '>', after);
    return q.orderBy('id', 'asc').limit(limit).execute();
  }

  async countEndpoints(tx: Tx, ducklingId: string): Promise<number> {
    const r = await tx.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll().as('n')).where('duckling_id', '=', ducklingId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  enabledEndpoints(tx: Tx, ducklingId: string): Promise<Pick<WebhookEndpointRow, 'id' | 'events'>[]> {
    return tx.selectFrom('webhook_endpoints').select(['id', 'events']).where('duckling_id', '=', ducklingId).where('status', '=', 'enabled').execute();
  }

  updateEndpoint(tx: Tx, id: string, patch: Partial<WebhookEndpointRow>): Promise<unknown> {
    return tx.updateTable('webhook_endpoints').set(patch).where('id', '=', id).execute();
  }

  deleteEndpoint(tx: Tx, id: string): Promise<unknown> {
    return tx.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
  }

  /** Disables an enabled endpoint; false when it already was (another node got there first). */
  async disableEndpoint(tx: Tx, id: string, reason: string, now: number): Promise<boolean> {
    const r = await tx.updateTable('webhook_endpoints').set({ status: 'disabled', disabled_reason: reason, updated_at: now })
      .where('id', '=', id).where('status', '=', 'enabled').executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Locks the endpoint row for the rest of the transaction. Every transaction that settles a
   * delivery takes this lock first, so the ones touching an endpoint's deliveries (settling,
   * disabling) queue up on one row instead of deadlocking over each other's deliveries.
   */
  lockEndpoint(tx: Tx, id: string): Promise<Pick<WebhookEndpointRow, 'status' | 'failing_since'> | undefined> {
    let q = tx.selectFrom('webhook_endpoints').select(['status', 'failing_since']).where('id', '=', id);
    if (this.db.dialect === 'postgres') q = q.forNoKeyUpdate(); // new deliveries (FK checks) still go in meanwhile
    return q.executeTakeFirst();
  }

  // ── deliveries (the outbox) ────────────────────────────────────────────────

  insertDeliveries(tx: Tx, rows: WebhookDeliveryRow[]): Promise<unknown> {
    return tx.insertInto('webhook_deliveries').values(rows).execute();
  }

  delivery(endpointId: string, eventId: string, tx?: Tx): Promise<WebhookDeliveryRow | undefined> {
    return this.q(tx).selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).where('event_id', '=', eventId).executeTakeFirst();
  }

  /**
   * Claims up to `limit` due deliveries by moving them past a lease. On PostgreSQL the rows are
   * picked with FOR UPDATE SKIP LOCKED, so concurrent nodes take disjoint sets; on SQLite the
   * single UPDATE is atomic. A claimer that dies leaves the lease to expire, then the row is due again.
   */
  async claim(now: number, leaseUntil: number, token: string, limit: number): Promise<string[]> {
    let due = this.db.kysely.selectFrom('webhook_deliveries').select('id')
      .where('status', '=', 'pending').where('next_attempt_at', '<=', now).orderBy('next_attempt_at', 'asc').limit(limit);
    if (this.db.dialect === 'postgres') due = due.forUpdate().skipLocked();
    const rows = await this.db.kysely.updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseUntil, locked_until: leaseUntil, lock_token: token })
      .where('id', 'in', due).returning('id').execute();
    return rows.map((r) => r.id);
  }

  claimed(ids: string[]): Promise<ClaimedDelivery[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.kysely.selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
      .leftJoin('events as e', 'e.id', 'd.event_id')
      .select(['d.id', 'd.event_id', 'd.event_type', 'd.attempts', 'd.lock_token', 'd.payload', 'w.id as endpoint_id', 'w.duckling_id', 'w.url',
        'w.status as endpoint_status', 'w.secret_sealed', 'w.prev_secret_sealed', 'w.prev_secret_until', 'e.data as event_data', 'e.created_at as event_created_at'])
      .where('d.id', 'in', ids).orderBy('d.next_attempt_at').execute();
  }

  /** Settles a claimed delivery, only while the claim is still ours (the lease is the fence). */
  async settle(tx: Tx, id: string, token: string, patch: Partial<WebhookDeliveryRow>): Promise<boolean> {
    const r = await tx.updateTable('webhook_deliveries').set({ ...patch, locked_until: null, lock_token: null })
      .where('id', '=', id).where('lock_token', '=', token).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Gives claimed-but-unsent deliveries back, due at `at` (graceful stop, an endpoint over its share). */
  release(ids: string[], token: string, at: number): Promise<unknown> {
    if (!ids.length) return Promise.resolve();
    return this.db.kysely.updateTable('webhook_deliveries').set({ next_attempt_at: at, locked_until: null, lock_token: null })
      .where('id', 'in', ids).where('lock_token', '=', token).execute();
  }

  /** Every lease, made due now. Only for a single-node store (SQLite) at start: any holder is dead. */
  releaseAll(now: number): Promise<unknown> {
    return this.db.kysely.updateTable('webhook_deliveries').set({ next_attempt_at: now, locked_until: null, lock_token: null })
      .where('status', '=', 'pending').where('lock_token', 'is not', null).execute();
  }

  /**
   * Deliveries that will not be attempted because their endpoint was disabled. Claims are
   * dropped too, so an attempt in flight cannot put its delivery back in the queue.
   */
  failPending(tx: Tx, endpointId: string, reason: string, now: number): Promise<unknown> {
    return tx.updateTable('webhook_deliveries').set({ status: 'failed', last_error: reason, locked_until: null, lock_token: null, updated_at: now })
      .where('endpoint_id', '=', endpointId).where('status', '=', 'pending').execute();
  }

  /** Starts a new round for one delivery: due now, the retry schedule from the beginning. An attempt in flight is left to finish. */
  requeue(tx: Tx, id: string, now: number): Promise<unknown> {
    return tx.updateTable('webhook_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, updated_at: now })
      .where('id', '=', id).where('lock_token', 'is', null).execute();
  }

  async recover(endpointId: string, since: number, now: number): Promise<number> {
    const r = await this.db.kysely.updateTable('webhook_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null, lock_token: null, updated_at: now })
      .where('endpoint_id', '=', endpointId).where('status', '=', 'failed').where('created_at', '>=', since).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async backlog(): Promise<number> {
    const r = await this.db.kysely.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'pending').executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  // ── attempts ───────────────────────────────────────────────────────────────

  insertAttempt(tx: Tx, row: WebhookAttemptRow): Promise<unknown> {
    return tx.insertInto('webhook_attempts').values(row).execute();
  }

  attempts(endpointId: string, q: { status?: AttemptStatus; eventId?: string; before?: string; limit: number }): Promise<AttemptLogRow[]> {
    let query = this.db.kysely.selectFrom('webhook_attempts as a').innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
      .selectAll('a').select(['d.event_type', 'd.status as delivery_status', 'd.next_attempt_at'])
      .where('a.endpoint_id', '=', endpointId);
    if (q.status) query = query.where('a.ok', '=', q.status === 'succeeded' ? 1 : 0);
    if (q.eventId) query = query.where('a.event_id', '=', q.eventId);
    if (q.before) query = query.where('a.id', '<', q.before);
    return query.orderBy('a.id', 'desc').limit(q.limit).execute();
  }

  // ── events ─────────────────────────────────────────────────────────────────

  event(id: string, ducklingId: string) {
    return this.db.kysely.selectFrom('events').select(['id', 'type', 'data', 'created_at'])
      .where('id', '=', id).where('duckling_id', '=', ducklingId).executeTakeFirst();
  }
}
