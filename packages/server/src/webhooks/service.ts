// Webhooks: endpoint management, the outbox subscriber and the delivery worker (CONTRACT §8).
import type { Deps } from '../app.js';
import type { RecordedEvent, RequestContext, Tx } from '../events/bus.js';
import { iso } from '../kernel/clock.js';
import { seal } from '../kernel/crypto.js';
import { errors } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';
import { clampLimit, decodeCursor, page } from '../kernel/pagination.js';
import { canonicalEvent, filterMatches, isWebhookEvent, normalizeFilter, WEBHOOK_EVENTS, type WebhookEventType } from './catalog.js';
import type { WebhookDeliveryRow, WebhookEndpointRow } from './schema.js';
import { resolvePublic, UnsafeTargetError } from './ssrf.js';
import { newWebhookSecret } from './signing.js';
import { WebhookStore, type AttemptLogRow, type AttemptStatus } from './store.js';
import { DeliveryWorker } from './worker.js';

export const MAX_ENDPOINTS = 20;
/** How long the previous secret keeps signing after a rotation, unless the caller says otherwise. */
export const DEFAULT_OVERLAP_S = 24 * 3600;
export const MAX_OVERLAP_S = 7 * 24 * 3600;
/** How far back "recover" reaches. */
export const RECOVER_WINDOW_MS = 14 * 86_400_000;

export interface EndpointInput { url: string; events: string[]; description?: string | null }
export interface EndpointPatch { url?: string; events?: string[]; description?: string | null; status?: 'enabled' | 'disabled' }

export class WebhookService {
  readonly store: WebhookStore;
  readonly worker: DeliveryWorker;

  constructor(private readonly d: Deps) {
    this.store = new WebhookStore(d.db);
    this.worker = new DeliveryWorker(d, this.store);
  }

  /**
   * The outbox: a delivery row per matching enabled endpoint, written in the transaction that
   * records the event, so the event and its deliveries commit (or vanish) together.
   */
  subscribe(): void {
    this.d.events.subscribe((tx, ev) => this.enqueue(tx, ev));
    this.d.events.onRecorded((ev) => { if (ev.ducklingId && isWebhookEvent(ev.type)) this.worker.nudge(); });
  }

  private async enqueue(tx: Tx, ev: RecordedEvent): Promise<void> {
    if (!ev.ducklingId || !isWebhookEvent(ev.type)) return;
    const endpoints = await this.store.enabledEndpoints(tx, ev.ducklingId);
    const rows: WebhookDeliveryRow[] = endpoints.filter((e) => filterMatches(JSON.parse(e.events) as string[], ev.type)).map((e) => ({
      id: newId('dlv', ev.createdAt), event_id: ev.id, endpoint_id: e.id, event_type: ev.type, status: 'pending', attempts: 0,
      next_attempt_at: ev.createdAt, locked_until: null, lock_token: null, last_status_code: null, last_error: null, payload: null,
      created_at: ev.createdAt, updated_at: ev.createdAt,
    }));
    if (rows.length) await this.store.insertDeliveries(tx, rows);
  }

  start(): void { this.worker.start(); }
  async stop(): Promise<void> { await this.worker.stop(); }
  /** Pending deliveries, for system/status. */
  async backlog(): Promise<number> { return this.worker.backlog(); }
  /** One delivery pass (tests and tools). */
  tick(): Promise<number> { return this.worker.tick(); }

  // ── endpoints ──────────────────────────────────────────────────────────────

  /** http(s) only, no credentials in the URL, and (unless allowed) only public addresses. */
  private async checkUrl(raw: string): Promise<string> {
    let u: URL;
    try { u = new URL(raw); } catch { throw errors.validation('url is not a valid URL', [{ field: 'body.url', message: 'is not a valid URL' }]); }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw errors.validation('url must use http or https', [{ field: 'body.url', message: 'must use http or https' }]);
    }
    if (u.username || u.password) {
      throw errors.validation('url must not carry credentials; verify the signature instead', [{ field: 'body.url', message: 'must not contain user:password@' }]);
    }
    u.hash = '';
    if (!this.d.config.webhookAllowPrivate) {
      try { await resolvePublic(u.hostname); } catch (err) {
        if (!(err instanceof UnsafeTargetError)) throw err;
        throw errors.validation(`url is not allowed: ${err.message}`, [{ field: 'body.url', message: 'must resolve only to public addresses' }]);
      }
    }
    return u.toString();
  }

  private async owned(ducklingId: string, id: string, tx?: Tx): Promise<WebhookEndpointRow> {
    const row = await this.store.endpoint(id, ducklingId, tx);
    if (!row) throw errors.notFound('Webhook not found');
    return row;
  }

  async create(ducklingId: string, input: EndpointInput, ctx: RequestContext) {
    const url = await this.checkUrl(input.url);
    const events = normalizeFilter(input.events);
    const secret = newWebhookSecret();
    const now = this.d.clock.now();
    const row: WebhookEndpointRow = {
      id: newId('wh', now), duckling_id: ducklingId, url, events: JSON.stringify(events), description: input.description || null,
      status: 'enabled', secret_sealed: seal(this.d.secrets.dataKey, secret), prev_secret_sealed: null, prev_secret_until: null,
      created_at: now, updated_at: now, failing_since: null, disabled_reason: null,
    };
    await this.d.db.kysely.transaction().execute(async (tx) => {
      if ((await this.store.countEndpoints(tx, ducklingId)) >= MAX_ENDPOINTS) throw errors.conflict(`A duckling may have at most ${MAX_ENDPOINTS} webhook endpoints`);
      await this.store.insertEndpoint(tx, row);
      await this.audit(tx, 'webhook.created', row, ctx, { events });
    });
    return { ...this.view(row), secret };
  }

  async list(ducklingId: string, q: { limit?: number; cursor?: string }) {
    const limit = clampLimit(q.limit);
    const rows = await this.store.endpoints(ducklingId, decodeCursor(q.cursor), limit + 1);
    const { items, next_cursor } = page(rows, limit, (r) => r.id);
    return { webhooks: items.map((r) => this.view(r)), next_cursor };
  }

  async get(ducklingId: string, id: string) {
    return this.view(await this.owned(ducklingId, id));
  }

  async update(ducklingId: string, id: string, patch: EndpointPatch, ctx: RequestContext) {
    const url = patch.url !== undefined ? await this.checkUrl(patch.url) : undefined;
    const events = patch.events !== undefined ? normalizeFilter(patch.events) : undefined;
    const now = this.d.clock.now();
    const row = await this.d.db.kysely.transaction().execute(async (tx) => {
      const cur = await this.owned(ducklingId, id, tx);
      const set: Partial<WebhookEndpointRow> = { updated_at: now };
      if (url !== undefined) set.url = url;
      if (events !== undefined) set.events = JSON.stringify(events);
      if (patch.description !== undefined) set.description = patch.description || null;
      if (patch.status === 'enabled' && cur.status !== 'enabled') Object.assign(set, { status: 'enabled', disabled_reason: null, failing_since: null });
      if (patch.status === 'disabled' && cur.status !== 'disabled') {
        Object.assign(set, { status: 'disabled', disabled_reason: 'disabled by its owner' });
        await this.store.failPending(tx, id, 'endpoint disabled by its owner', now);
      }
      await this.store.updateEndpoint(tx, id, set);
      const next = { ...cur, ...set };
      await this.audit(tx, 'webhook.updated', next, ctx, { changed: Object.keys(patch).filter((k) => k !== 'request_id') });
      return next;
    });
    return this.view(row);
  }

  async remove(ducklingId: string, id: string, ctx: RequestContext) {
    await this.d.db.kysely.transaction().execute(async (tx) => {
      const cur = await this.owned(ducklingId, id, tx);
      await this.store.deleteEndpoint(tx, id);
      await this.audit(tx, 'webhook.deleted', cur, ctx);
    });
    return { success: true as const, webhook_id: id, deleted: true as const };
  }

  /** A new secret, shown once; the previous one keeps signing alongside it for the overlap. */
  async rotateSecret(ducklingId: string, id: string, overlapS: number | undefined, ctx: RequestContext) {
    const secret = newWebhookSecret();
    const now = this.d.clock.now();
    const overlap = overlapS ?? DEFAULT_OVERLAP_S;
    const row = await this.d.db.kysely.transaction().execute(async (tx) => {
      const cur = await this.owned(ducklingId, id, tx);
      const set: Partial<WebhookEndpointRow> = {
        secret_sealed: seal(this.d.secrets.dataKey, secret),
        prev_secret_sealed: overlap > 0 ? cur.secret_sealed : null,
        prev_secret_until: overlap > 0 ? now + overlap * 1000 : null,
        updated_at: now,
      };
      await this.store.updateEndpoint(tx, id, set);
      const next = { ...cur, ...set };
      await this.audit(tx, 'webhook.secret_rotated', next, ctx, { previous_secret_expires_at: iso(next.prev_secret_until) });
      return next;
    });
    return { ...this.view(row), secret };
  }

  async test(ducklingId: string, id: string, eventType: string | undefined) {
    const endpoint = await this.owned(ducklingId, id);
    let type: WebhookEventType;
    if (eventType !== undefined) {
      const c = canonicalEvent(eventType);
      if (!c) throw errors.validation(`Unknown event type ${JSON.stringify(eventType.slice(0, 64))}; known: ${WEBHOOK_EVENTS.join(', ')}`, [{ field: 'body.event_type', message: 'is not a known event type' }]);
      type = c;
    } else {
      const filter = JSON.parse(endpoint.events) as string[];
      type = (filter[0] && filter[0] !== '*' ? filter[0] : 'duckling.verified') as WebhookEventType;
    }
    return this.worker.test(endpoint, type);
  }

  async deliveries(ducklingId: string, id: string, q: { status?: AttemptStatus; event_id?: string; limit?: number; cursor?: string }) {
    await this.owned(ducklingId, id);
    const limit = clampLimit(q.limit);
    const rows = await this.store.attempts(id, { status: q.status, eventId: q.event_id, before: decodeCursor(q.cursor), limit: limit + 1 });
    const { items, next_cursor } = page(rows, limit, (r) => r.id);
    return { deliveries: items.map((r) => this.attemptView(r)), next_cursor };
  }

  /** Sends an event to this endpoint again (any event of the owner of a webhook type, even one it missed). */
  async replay(ducklingId: string, id: string, eventId: string) {
    const endpoint = await this.owned(ducklingId, id);
    if (endpoint.status !== 'enabled') throw errors.conflict('The webhook is disabled; enable it before replaying');
    const now = this.d.clock.now();
    const existing = await this.store.delivery(id, eventId);
    let type = existing?.event_type;
    if (!existing) {
      const ev = await this.store.event(eventId, ducklingId);
      if (!ev || !isWebhookEvent(ev.type)) throw errors.notFound('Event not found');
      type = ev.type;
    }
    await this.d.db.kysely.transaction().execute(async (tx) => {
      if (existing) await this.store.requeue(tx, existing.id, now);
      else {
        await this.store.insertDeliveries(tx, [{
          id: newId('dlv', now), event_id: eventId, endpoint_id: id, event_type: type!, status: 'pending', attempts: 0, next_attempt_at: now,
          locked_until: null, lock_token: null, last_status_code: null, last_error: null, payload: null, created_at: now, updated_at: now,
        }]);
      }
    });
    this.worker.nudge();
    return { webhook_id: id, event_id: eventId, event_type: type!, status: 'pending' as const };
  }

  /** Queues again every delivery to this endpoint that failed for good since `since`. */
  async recover(ducklingId: string, id: string, since: number) {
    const endpoint = await this.owned(ducklingId, id);
    if (endpoint.status !== 'enabled') throw errors.conflict('The webhook is disabled; enable it before recovering');
    const now = this.d.clock.now();
    if (!Number.isFinite(since) || since > now || since < now - RECOVER_WINDOW_MS) {
      throw errors.validation('since must be a time within the last 14 days', [{ field: 'body.since', message: 'must be within the last 14 days' }]);
    }
    const n = await this.store.recover(id, since, now);
    if (n) this.worker.nudge();
    return { webhook_id: id, since: iso(since)!, recovered: n };
  }

  // ── views ──────────────────────────────────────────────────────────────────

  private view(r: WebhookEndpointRow) {
    return {
      webhook_id: r.id, url: r.url, events: JSON.parse(r.events) as string[], description: r.description,
      status: r.status as 'enabled' | 'disabled', disabled_reason: r.disabled_reason,
      previous_secret_expires_at: r.prev_secret_until && r.prev_secret_until > this.d.clock.now() ? iso(r.prev_secret_until) : null,
      failing_since: iso(r.failing_since), created_at: iso(r.created_at)!, updated_at: iso(r.updated_at)!,
    };
  }

  private attemptView(r: AttemptLogRow) {
    return {
      attempt_id: r.id, webhook_id: r.endpoint_id, event_id: r.event_id, event_type: r.event_type, ok: r.ok === 1,
      status: (r.ok === 1 ? 'succeeded' : 'failed') as AttemptStatus, status_code: r.status_code, duration_ms: r.duration_ms,
      response_excerpt: r.response_excerpt, error: r.error, created_at: iso(r.created_at)!,
      delivery_status: r.delivery_status as 'pending' | 'succeeded' | 'failed',
      next_attempt_at: r.delivery_status === 'pending' ? iso(r.next_attempt_at) : null,
    };
  }

  /** Webhook changes are audit entries; the URL's path and query often hold tokens, so only its host is kept. */
  private audit(tx: Tx, type: string, r: WebhookEndpointRow, ctx: RequestContext, extra: Record<string, unknown> = {}) {
    return this.d.events.record(tx, {
      type, ducklingId: r.duckling_id, actorId: r.duckling_id, subjectId: r.id, ctx,
      data: { webhook_id: r.id, host: new URL(r.url).host, status: r.status, ...extra },
    });
  }
}
