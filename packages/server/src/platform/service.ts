// Platform: service identity, metrics, health, waitlist, page views and support tickets.
import type { Deps } from '../app.js';
import type { RequestContext } from '../events/bus.js';
import { iso } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import { normalizeEmail } from '../identity/names.js';
import { PlatformStore, type Counts } from './store.js';

export const GALAXY_VERSION = '1.2';
export const LIVENESS_WINDOW_MS = 5 * 60_000;
const METRICS_TTL_MS = 5000;

export class PlatformService {
  readonly store: PlatformStore;
  private cache: { at: number; counts: Counts } | null = null;
  private aboutCache = { second: NaN, json: '' };
  private readonly startedAt: number;

  constructor(private readonly d: Deps) {
    this.store = new PlatformStore(d.db);
    this.startedAt = Date.now();
    // Metrics may be up to 5 s stale across nodes, but a node never hides its own changes.
    d.events.onRecorded(() => { this.cache = null; });
  }

  about(now = this.d.clock.now()) {
    return { service: 'spaceduck', version: this.d.config.version, galaxy: GALAXY_VERSION, timestamp: iso(now)! };
  }

  /**
   * `about()` serialised. GET /beak/ is what load balancers and uptime probes call, often many
   * times a second, and its body changes once a second (the timestamp has second precision).
   */
  aboutJson(): string {
    const now = this.d.clock.now();
    const second = Math.floor(now / 1000);
    if (second !== this.aboutCache.second) this.aboutCache = { second, json: JSON.stringify(this.about(now)) };
    return this.aboutCache.json;
  }

  async metrics() {
    const now = this.d.clock.now();
    if (!this.cache || now - this.cache.at > METRICS_TTL_MS || now < this.cache.at) {
      this.cache = { at: now, counts: await this.store.counts(now - LIVENESS_WINDOW_MS) };
    }
    return { ...this.cache.counts, galaxy_version: GALAXY_VERSION };
  }

  async status() {
    const now = this.d.clock.now();
    let latency: number | null = null;
    try { latency = await this.d.db.ping(); } catch { latency = null; }
    const dbUp = latency !== null;
    const [alive, backlog] = dbUp
      ? await Promise.all([this.store.agentsAlive(now - LIVENESS_WINDOW_MS), this.d.webhooks.backlog()])
      : [0, 0];
    const limits = this.d.ratelimit.status();
    const status = (!dbUp ? 'outage' : limits === 'degraded' ? 'degraded' : 'operational') as 'outage' | 'degraded' | 'operational';
    return {
      status, version: this.d.config.version, lambda_version: this.d.config.buildId, agents_alive: alive,
      api_latency_ms: latency === null ? null : Math.round(latency * 100) / 100,
      uptime_s: Math.floor((Date.now() - this.startedAt) / 1000),
      components: {
        database: { status: dbUp ? 'operational' : 'outage', dialect: this.d.db.dialect, latency_ms: latency === null ? null : Math.round(latency * 100) / 100 },
        mail: { status: 'operational', transport: this.d.mail.transport },
        webhooks: { status: 'operational', backlog },
        rate_limits: { status: limits === 'degraded' ? 'degraded' : 'operational', store: this.d.redis ? 'redis' : 'memory', enabled: limits !== 'off' },
      },
      timestamp: iso(now)!,
    };
  }

  async subscribe(emailRaw: string, partnerType: string | undefined, ctx: RequestContext) {
    const email = normalizeEmail(emailRaw);
    await this.d.db.kysely.transaction().execute(async (tx) => {
      const fresh = await this.store.subscribe(tx, email, partnerType ?? null, this.d.clock.now());
      if (fresh) await this.d.events.record(tx, { type: 'newsletter.subscribed', ducklingId: null, ctx, data: { partner_type: partnerType ?? null } });
    });
    return { subscribed: true as const };
  }

  async pageview(page: string, referrer: string | undefined, ctx: RequestContext) {
    const now = this.d.clock.now();
    await this.d.db.kysely.transaction().execute(async (tx) => {
      const id = newId('pv', now);
      await tx.insertInto('pageviews').values({ id, page, referrer: referrer ?? null, created_at: now }).execute();
      await this.d.events.record(tx, { type: 'pageview.recorded', ducklingId: null, subjectId: id, ctx, data: { page } });
    });
    return { recorded: true as const };
  }

  async contact(input: { email: string; message: string; subject?: string }, ctx: RequestContext) {
    const now = this.d.clock.now();
    const id = newId('tkt', now);
    const email = normalizeEmail(input.email);
    await this.d.db.kysely.transaction().execute(async (tx) => {
      await tx.insertInto('support_tickets').values({ id, email, subject: input.subject ?? null, message: input.message, status: 'open', created_at: now }).execute();
      await this.d.events.record(tx, { type: 'support.ticket_created', ducklingId: null, subjectId: id, ctx, data: { ticket_id: id } });
    });
    await this.d.mail.sendMail({
      to: this.d.config.supportEmail, subject: `[${id}] ${input.subject ?? 'Support request'}`,
      text: `Ticket ${id} from ${email}\n\n${input.message}`,
    });
    return { ticket_id: id, status: 'open' as const };
  }
}
