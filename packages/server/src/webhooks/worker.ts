// The delivery worker: claims due deliveries from the outbox, sends them with bounded
// concurrency, records every attempt and schedules retries. Several nodes may run one each
// against a shared PostgreSQL database: a claim is a lease, so no delivery is attempted by two
// nodes at once, and a node that dies mid-attempt only delays that delivery until the lease ends.
import type { Deps } from '../app.js';
import type { Tx } from '../events/bus.js';
import { iso } from '../kernel/clock.js';
import { randomToken, unseal } from '../kernel/crypto.js';
import { newId } from '../kernel/ids.js';
import type { WebhookEventType } from './catalog.js';
import { sampleData } from './catalog.js';
import type { WebhookDeliveryRow, WebhookEndpointRow } from './schema.js';
import { send, type Outcome } from './sender.js';
import { signHeaders } from './signing.js';
import type { ClaimedDelivery, WebhookStore } from './store.js';

/** Attempts in flight per node. */
export const CONCURRENCY = 8;
/** How often a node looks for due work it was not told about (retries, other nodes' events). */
export const POLL_MS = 1000;
export const DEFAULT_TIMEOUT_MS = 15_000;
/** An endpoint whose every attempt failed for this long is disabled. */
export const FAILING_DISABLE_MS = 5 * 86_400_000;
/** The longest Retry-After we honour: a receiver cannot park a delivery for longer. */
const RETRY_AFTER_CAP_S = 86_400;
/** Slots one endpoint may hold on a node, and how long its surplus waits before it can be claimed again. */
const MAX_PER_ENDPOINT = CONCURRENCY / 2;
const DEFER_MS = 250;
/** Lease beyond the attempt timeout, for recording the attempt. */
const LEASE_MARGIN_MS = 5000;

export interface AttemptView {
  attempt_id: string; webhook_id: string; event_id: string; event_type: string; ok: boolean; status: 'succeeded' | 'failed';
  status_code: number | null; duration_ms: number; response_excerpt: string | null; error: string | null; created_at: string;
}

interface Settled {
  c: ClaimedDelivery; token: string; o: Outcome; now: number;
  resolve: () => void; reject: (err: Error) => void;
  disable?: string; solo?: boolean;
}

export const eventBody = (id: string, type: string, createdAt: number, data: unknown): string =>
  JSON.stringify({ id, type, created_at: iso(createdAt), data });

export class DeliveryWorker {
  /** Per-attempt timeout (CONTRACT §8: 15 s). Tests shorten it. */
  timeoutMs = DEFAULT_TIMEOUT_MS;
  private running = false;
  private poll: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private claiming: Promise<void> | null = null;
  private again = false;
  private readonly inflight = new Set<Promise<void>>();
  private readonly perEndpoint = new Map<string, number>();
  private outcomes: Settled[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly d: Deps, private readonly store: WebhookStore) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    // SQLite is one node: a lease left in it belongs to a process that is gone, so its
    // deliveries are due now rather than when the lease would have ended.
    const ready = this.d.db.dialect === 'sqlite' ? this.store.releaseAll(this.d.clock.now()) : Promise.resolve();
    this.claiming = ready.then(() => undefined, (err: Error) => this.d.log.error({ err }, 'webhooks: releasing stale leases failed'))
      .finally(() => { this.claiming = null; this.wake(); });
    this.poll = setInterval(() => this.wake(), POLL_MS);
    this.poll.unref();
  }

  /** Graceful: no new claims, then every attempt in flight finishes and is recorded. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.poll) clearInterval(this.poll);
    if (this.soon) clearTimeout(this.soon);
    this.poll = this.soon = null;
    await this.claiming;
    await Promise.allSettled([...this.inflight]);
  }

  /** An event was recorded (maybe not yet committed): look now, and once more shortly after. */
  nudge(): void {
    if (!this.running) return;
    this.wake();
    this.soon ??= setTimeout(() => { this.soon = null; this.wake(); }, 50);
  }

  /** One pass, for tests and tools: claims what is due, attempts it, and waits for the outcome. */
  async tick(limit = CONCURRENCY): Promise<number> {
    const batch = await this.claim(limit);
    await Promise.all(batch.map((c) => this.attempt(c)));
    return batch.length;
  }

  async backlog(): Promise<number> { return this.store.backlog(); }

  private wake(): void {
    if (!this.running) return;
    if (this.claiming) { this.again = true; return; }
    const free = CONCURRENCY - this.inflight.size;
    // Claim in batches: with half the slots busy, the next finishing attempt wakes us again.
    if (free <= 0 || (this.inflight.size > 0 && free < CONCURRENCY / 2)) return;
    this.again = false;
    this.claiming = this.claimAndLaunch(free)
      .catch((err: Error) => this.d.log.error({ err }, 'webhooks: claiming deliveries failed'))
      .finally(() => { this.claiming = null; if (this.again) this.wake(); });
  }

  private async claimAndLaunch(free: number): Promise<void> {
    const batch = await this.claim(free);
    const now = this.d.clock.now();
    if (!this.running) {
      await this.store.release(batch.map((c) => c.id), batch[0]?.lock_token ?? '', now);
      return;
    }
    // One slow endpoint must not take every slot: beyond its share, its deliveries go back for a second.
    const deferred: ClaimedDelivery[] = [];
    for (const c of batch) {
      const busy = this.perEndpoint.get(c.endpoint_id) ?? 0;
      if (busy >= MAX_PER_ENDPOINT) { deferred.push(c); continue; }
      this.perEndpoint.set(c.endpoint_id, busy + 1);
      const p: Promise<void> = this.attempt(c)
        .catch((err: Error) => this.d.log.error({ err, delivery: c.id }, 'webhooks: attempt failed to record'))
        .finally(() => {
          this.inflight.delete(p);
          const left = this.perEndpoint.get(c.endpoint_id)! - 1;
          if (left) this.perEndpoint.set(c.endpoint_id, left); else this.perEndpoint.delete(c.endpoint_id);
          this.wake();
        });
      this.inflight.add(p);
    }
    if (deferred.length) await this.store.release(deferred.map((c) => c.id), deferred[0]!.lock_token!, now + DEFER_MS);
    else if (batch.length === free) this.again = true; // probably more waiting
  }

  private async claim(limit: number): Promise<ClaimedDelivery[]> {
    const now = this.d.clock.now();
    const ids = await this.store.claim(now, now + this.timeoutMs + LEASE_MARGIN_MS, randomToken(12), limit);
    return this.store.claimed(ids);
  }

  private secrets(e: Pick<WebhookEndpointRow, 'secret_sealed' | 'prev_secret_sealed' | 'prev_secret_until'>, now: number): string[] {
    const key = this.d.secrets.dataKey;
    const out = [unseal(key, e.secret_sealed)];
    if (e.prev_secret_sealed && (e.prev_secret_until ?? 0) > now) out.push(unseal(key, e.prev_secret_sealed));
    return out;
  }

  private async sendSigned(url: string, secrets: string[], id: string, type: string, body: string): Promise<Outcome> {
    const now = this.d.clock.now();
    const headers = signHeaders(secrets, { id, type, timestampS: Math.floor(now / 1000), body });
    return send(url, { ...headers }, body, {
      timeoutMs: this.timeoutMs, guard: !this.d.config.webhookAllowPrivate, userAgent: `SpaceDuck-Webhooks/${this.d.config.version}`, now,
    });
  }

  private async attempt(c: ClaimedDelivery): Promise<void> {
    const token = c.lock_token!;
    const body = c.payload ?? (c.event_data !== null && c.event_created_at !== null
      ? eventBody(c.event_id, c.event_type, c.event_created_at, JSON.parse(c.event_data)) : null);
    if (c.endpoint_status !== 'enabled' || body === null) {
      const why = body === null ? 'the event no longer exists' : 'the endpoint is disabled';
      const now = this.d.clock.now();
      await this.d.db.kysely.transaction().execute((tx) => this.store.settle(tx, c.id, token, { status: 'failed', last_error: why, updated_at: now }));
      return;
    }
    const outcome = await this.sendSigned(c.url, this.secrets(c, this.d.clock.now()), c.event_id, c.event_type, body);
    await this.record(c, token, outcome);
  }

  /**
   * Queues an outcome for the next group commit: attempts finishing together are written in one
   * transaction, which is most of what a delivery costs the database.
   */
  private record(c: ClaimedDelivery, token: string, o: Outcome): Promise<void> {
    return new Promise((resolve, reject) => {
      this.outcomes.push({ c, token, o, now: this.d.clock.now(), resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    if (this.flushing || !this.outcomes.length) return;
    const batch = this.outcomes[0]!.solo ? this.outcomes.splice(0, 1) : this.outcomes.splice(0);
    this.flushing = (async () => {
      let disabled: Settled[] = [];
      try {
        disabled = await this.d.db.kysely.transaction().execute(async (tx) => {
          const out: Settled[] = [];
          for (const r of batch) if (await this.settleOne(tx, r)) out.push(r);
          return out;
        });
        for (const r of batch) r.resolve();
      } catch (err) {
        // One bad row must not sink the others: retry them one transaction each.
        if (batch.length === 1) batch[0]!.reject(err as Error);
        else for (const r of batch) this.outcomes.push({ ...r, solo: true });
      }
      for (const r of disabled) await this.tellOwner(r.c.duckling_id, r.c.endpoint_id, r.c.url, r.disable!);
    })().finally(() => { this.flushing = null; this.flush(); });
  }

  /** Writes one attempt and its consequences; true when it disabled the endpoint. */
  private async settleOne(tx: Tx, r: Settled): Promise<boolean> {
    const { c, token, o, now } = r;
    r.disable = undefined;
    const schedule = this.d.config.webhookRetrySchedule;
    const n = c.attempts + 1;
    let status: 'succeeded' | 'failed' | 'pending' = 'failed';
    let next = now;
    if (o.ok) status = 'succeeded';
    else if (o.statusCode === 410) r.disable = 'it answered 410 Gone';
    else if (n <= schedule.length) {
      status = 'pending';
      next = now + Math.max(schedule[n - 1]!, Math.min(o.retryAfterS ?? 0, RETRY_AFTER_CAP_S)) * 1000;
    }
    const endpoint = await this.store.lockEndpoint(tx, c.endpoint_id);
    if (!endpoint) return false; // deleted meanwhile, with its deliveries and log
    await this.store.insertAttempt(tx, {
      id: newId('att', now), delivery_id: c.id, event_id: c.event_id, endpoint_id: c.endpoint_id, ok: o.ok ? 1 : 0,
      status_code: o.statusCode, duration_ms: o.durationMs, response_excerpt: o.excerpt, error: o.error, created_at: now,
    });
    await this.store.settle(tx, c.id, token, {
      status, attempts: n, next_attempt_at: next, last_status_code: o.statusCode, last_error: o.error, updated_at: now,
    });
    // Health: a success ends the failing streak; a failure starts one, and five days of it disable the endpoint.
    const failingSince = o.ok ? null : endpoint.failing_since ?? now;
    if (failingSince !== endpoint.failing_since) await this.store.updateEndpoint(tx, c.endpoint_id, { failing_since: failingSince });
    if (!r.disable && failingSince !== null && now - failingSince >= FAILING_DISABLE_MS) r.disable = 'every delivery failed for 5 days';
    return r.disable !== undefined && endpoint.status === 'enabled' && (await this.disable(tx, c.endpoint_id, c.duckling_id, r.disable, now));
  }

  /** Disables an endpoint and fails its queue; false when it was already disabled. */
  async disable(tx: Tx, endpointId: string, ducklingId: string, reason: string, now: number): Promise<boolean> {
    if (!(await this.store.disableEndpoint(tx, endpointId, reason, now))) return false;
    await this.store.failPending(tx, endpointId, `endpoint disabled: ${reason}`, now);
    await this.d.events.record(tx, {
      type: 'webhook.disabled', ducklingId, actorId: null, subjectId: endpointId, data: { webhook_id: endpointId, reason },
    });
    return true;
  }

  private async tellOwner(ducklingId: string, endpointId: string, url: string, reason: string): Promise<void> {
    try {
      const owner = await this.d.identity.store.byId(ducklingId);
      if (!owner) return;
      const host = new URL(url).host;
      await this.d.mail.sendMail({
        to: owner.email,
        subject: 'Space Duck: a webhook endpoint was disabled',
        text: `Your webhook endpoint ${endpointId} (${host}) was disabled because ${reason}.\n\n`
          + 'No further events are sent to it. Once the receiver works again, re-enable it '
          + `(PATCH /beak/webhooks/${endpointId} with {"status":"enabled"}) and send what it missed `
          + `(POST /beak/webhooks/${endpointId}/recover with {"since": "<when it broke>"}).`,
      });
    } catch (err) {
      this.d.log.warn({ err: (err as Error).message, webhook: endpointId }, 'webhooks: could not email the owner of a disabled endpoint');
    }
  }

  /** The tester: a sample event of `type`, sent now, recorded like any delivery but never retried. */
  async test(endpoint: WebhookEndpointRow, type: WebhookEventType): Promise<AttemptView> {
    const created = this.d.clock.now();
    const eventId = newId('evt', created);
    const body = eventBody(eventId, type, created, sampleData(type, endpoint.duckling_id, created));
    const o = await this.sendSigned(endpoint.url, this.secrets(endpoint, created), eventId, type, body);
    const now = this.d.clock.now();
    const delivery: WebhookDeliveryRow = {
      id: newId('dlv', created), event_id: eventId, endpoint_id: endpoint.id, event_type: type, status: o.ok ? 'succeeded' : 'failed',
      attempts: 1, next_attempt_at: now, locked_until: null, lock_token: null, last_status_code: o.statusCode, last_error: o.error,
      payload: body, created_at: created, updated_at: now,
    };
    const attemptId = newId('att', now);
    await this.d.db.kysely.transaction().execute(async (tx) => {
      await this.store.insertDeliveries(tx, [delivery]);
      await this.store.insertAttempt(tx, {
        id: attemptId, delivery_id: delivery.id, event_id: eventId, endpoint_id: endpoint.id, ok: o.ok ? 1 : 0,
        status_code: o.statusCode, duration_ms: o.durationMs, response_excerpt: o.excerpt, error: o.error, created_at: now,
      });
    });
    return {
      attempt_id: attemptId, webhook_id: endpoint.id, event_id: eventId, event_type: type, ok: o.ok, status: o.ok ? 'succeeded' : 'failed',
      status_code: o.statusCode, duration_ms: o.durationMs, response_excerpt: o.excerpt, error: o.error, created_at: iso(now)!,
    };
  }
}
