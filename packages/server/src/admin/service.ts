// Administration (CONTRACT §12): the operator's view of ducklings, tiers, suspensions, the
// waitlist, support tickets and the token signing keys. Shared by the HTTP API and the CLI.
import type { Deps } from '../app.js';
import type { RequestContext } from '../events/bus.js';
import { iso } from '../kernel/clock.js';
import { errors } from '../kernel/errors.js';
import { clampLimit, decodeCursor, page } from '../kernel/pagination.js';
import type { Tier } from '../kernel/principal.js';
import type { DucklingRow } from '../identity/schema.js';

export interface DucklingQuery { q?: string; tier?: string; status?: string; verified?: boolean; limit?: number; cursor?: string }

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex').toString('utf8');

/** CSV cell, quoted, with spreadsheet formulas defused (`=`, `+`, `-`, `@` lead a formula). */
const csvCell = (v: string | null): string => {
  const s = v ?? '';
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

export class AdminService {
  constructor(private readonly d: Deps) {}

  private view(r: DucklingRow) {
    return {
      duckling_id: r.id, email: r.email, display_name: r.display_name, trust_tier: r.trust_tier, status: r.status,
      email_verified: !!r.email_verified, phone_verified: !!r.phone_verified, directory_visible: !!r.directory_visible,
      created_at: iso(r.created_at)!, verified_at: iso(r.verified_at), suspended_at: iso(r.suspended_at), suspend_reason: r.suspend_reason,
    };
  }

  async ducklings(query: DucklingQuery) {
    const limit = clampLimit(query.limit);
    const rows = await this.d.identity.store.search({
      q: query.q?.trim() || undefined, tier: query.tier, status: query.status, verified: query.verified,
      before: decodeCursor(query.cursor), limit,
    });
    const { items, next_cursor } = page(rows, limit, (r) => r.id);
    return { ducklings: items.map((r) => this.view(r)), next_cursor };
  }

  async duckling(id: string) {
    const row = await this.d.identity.store.byId(id);
    if (!row) throw errors.notFound('Duckling not found');
    const q = this.d.db.kysely;
    const cert = await this.d.certs.current(id);
    const sessions = await q.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('duckling_id', '=', id).where('revoked_at', 'is', null).where('expires_at', '>', this.d.clock.now()).executeTakeFirst();
    const passkeys = await q.selectFrom('passkeys').select((eb) => eb.fn.countAll<number>().as('n')).where('duckling_id', '=', id).executeTakeFirst();
    return {
      ...this.view(row), cert_id: cert?.id ?? null, cert_status: cert?.status ?? 'none',
      egg_count: await this.d.identity.store.agentCount(id), active_sessions: Number(sessions?.n ?? 0), passkeys: Number(passkeys?.n ?? 0),
    };
  }

  setTier(ref: { duckling_id: string } | { email: string }, tier: Tier, ctx: RequestContext) {
    return this.d.identity.trust.setTier(ref, tier, ctx);
  }

  async setSuspended(ref: { duckling_id: string } | { email: string }, suspended: boolean, reason: string | null, ctx: RequestContext) {
    const id = 'email' in ref ? (await this.d.identity.store.byEmail(ref.email.trim().toLowerCase()))?.id : ref.duckling_id;
    if (!id) throw errors.notFound('Duckling not found');
    return this.view(await this.d.identity.setSuspended(id, suspended, reason, ctx));
  }

  async newsletter(limit?: number, cursor?: string) {
    const n = clampLimit(limit);
    const after = decodeCursor(cursor);
    let q = this.d.db.kysely.selectFrom('newsletter_subscribers').selectAll();
    if (after) q = q.where('email', '>', unhex(after));
    const rows = await q.orderBy('email').limit(n + 1).execute();
    const { items, next_cursor } = page(rows, n, (r) => hex(r.email));
    return { subscribers: items.map((r) => ({ email: r.email, partner_type: r.partner_type, created_at: iso(r.created_at)! })), next_cursor };
  }

  /** The whole waitlist as CSV, read in keyset pages so memory stays flat. */
  async *newsletterCsv(): AsyncGenerator<string> {
    yield 'email,partner_type,subscribed_at\n';
    let after = '';
    for (;;) {
      const rows = await this.d.db.kysely.selectFrom('newsletter_subscribers').selectAll().where('email', '>', after).orderBy('email').limit(500).execute();
      if (!rows.length) return;
      yield rows.map((r) => `${csvCell(r.email)},${csvCell(r.partner_type)},${csvCell(iso(r.created_at))}\n`).join('');
      after = rows[rows.length - 1]!.email;
    }
  }

  async tickets(query: { status?: string; limit?: number; cursor?: string }) {
    const limit = clampLimit(query.limit);
    const before = decodeCursor(query.cursor);
    let q = this.d.db.kysely.selectFrom('support_tickets').selectAll();
    if (query.status) q = q.where('status', '=', query.status);
    if (before) q = q.where('id', '<', before);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    const { items, next_cursor } = page(rows, limit, (r) => r.id);
    return { tickets: items.map((r) => this.ticket(r)), next_cursor };
  }

  async ticketById(id: string) {
    const r = await this.d.db.kysely.selectFrom('support_tickets').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw errors.notFound('Ticket not found');
    return this.ticket(r);
  }

  private ticket(r: { id: string; email: string; subject: string | null; message: string; status: string; created_at: number }) {
    return { ticket_id: r.id, email: r.email, subject: r.subject, message: r.message, status: r.status, created_at: iso(r.created_at)! };
  }

  async signingKeys() {
    const rows = await this.d.db.kysely.selectFrom('signing_keys').select(['kid', 'created_at', 'retired_at']).orderBy('created_at', 'desc').execute();
    const active = this.d.signing.active()?.kid;
    return { keys: rows.map((r) => ({ kid: r.kid, active: r.kid === active, created_at: iso(r.created_at)!, retired_at: iso(r.retired_at) })) };
  }

  /** New signing key; the old one stays published and keeps verifying until its tokens expire. */
  async rotateSigningKey(ctx: RequestContext) {
    const previous = this.d.signing.active()?.kid ?? null;
    const kid = await this.d.signing.rotate();
    await this.d.db.kysely.transaction().execute((tx) => this.d.events.record(tx, {
      type: 'signing_key.rotated', ducklingId: null, actorId: 'admin', subjectId: kid, ctx, data: { kid, previous_kid: previous },
    }));
    return { kid, previous_kid: previous, rotated_at: iso(this.d.clock.now())! };
  }

  async purgeUnverified() {
    return { purged: await this.d.identity.purgeUnverified() };
  }
}
