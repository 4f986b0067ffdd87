// Trust tiers above T1 (CONTRACT §1.3): T2 by proving a phone with an SMS code, T3 (and any
// other tier) only by an administrator. Every tier change re-issues the birth certificate,
// which supersedes the previous one.
import type { Deps } from '../app.js';
import type { RequestContext, Tx } from '../events/bus.js';
import { errors } from '../kernel/errors.js';
import { TIERS, tierAtLeast, type Tier } from '../kernel/principal.js';
import { normalizeEmail } from './names.js';
import { OTP_TTL_MS } from './otp.js';
import type { DucklingStore } from './store.js';
import type { DucklingRow } from './schema.js';

/** `+447700900123` → `+44•••••0123`: enough to recognise a number in a log, not to dial it. */
export const maskPhone = (phone: string): string => `${phone.slice(0, 3)}${'•'.repeat(Math.max(0, phone.length - 7))}${phone.slice(-4)}`;

export class TrustService {
  constructor(private readonly d: Deps, private readonly store: DucklingStore) {}

  /** Codes are bound to the account and the number: a code for one phone cannot prove another. */
  private subject(ducklingId: string, phone: string): string { return `${ducklingId}:${phone}`; }

  /** Step 1: text a code to the phone. */
  async sendPhoneCode(ducklingId: string, phone: string, ctx: RequestContext) {
    const subject = this.subject(ducklingId, phone);
    const code = await this.d.otps.issue('phone', subject);
    if (!code) throw errors.rateLimited((await this.d.otps.retryAfterMs('phone', subject)) / 1000, 'A code was sent to this number less than a minute ago');
    try {
      await this.d.mail.sendSms({ to: phone, text: `Your Space Duck phone verification code is ${code}. It is valid for 10 minutes.`, otp: code });
    } catch (err) {
      await this.d.otps.discard(['phone'], subject);
      this.d.log.error({ err: (err as Error).message }, 'SMS gateway failed');
      throw errors.unavailable('The SMS gateway is unavailable; try again later');
    }
    await this.d.db.kysely.transaction().execute((tx) => this.d.events.record(tx, {
      type: 'trust.phone_code_sent', ducklingId, actorId: ducklingId, subjectId: ducklingId, ctx, data: { phone: maskPhone(phone) },
    }));
    return { status: 'otp_sent' as const, phone: maskPhone(phone), expires_in: OTP_TTL_MS / 1000 };
  }

  /** Step 2: the code proves the phone; T1 becomes T2 (higher tiers stay). */
  async confirmPhone(ducklingId: string, phone: string, code: string, ctx: RequestContext) {
    await this.d.otps.consume('phone', this.subject(ducklingId, phone), code);
    const out = await this.d.db.kysely.transaction().execute(async (tx) => {
      const row = await this.store.byId(ducklingId, tx);
      if (!row) throw errors.unauthorized();
      const tier: Tier = tierAtLeast(row.trust_tier, 'T2') ? (row.trust_tier as Tier) : 'T2';
      await this.store.update(tx, row.id, { phone, phone_verified: 1, updated_at: this.d.clock.now() });
      await this.d.events.record(tx, {
        type: 'phone.verified', ducklingId: row.id, actorId: row.id, subjectId: row.id, ctx, data: { phone: maskPhone(phone) },
      });
      const certId = await this.changeTier(tx, row, tier, row.id, 'phone_verified', ctx);
      return { tier, certId };
    });
    return { success: true as const, trust_tier: out.tier, cert_id: out.certId, phone_verified: true, message: 'Phone verified.' };
  }

  /** Administrators set any tier from T1 to T3 (T0 means "email not verified": suspend instead). */
  async setTier(ref: { duckling_id: string } | { email: string }, tier: Tier, ctx: RequestContext) {
    if (!TIERS.includes(tier) || tier === 'T0') {
      throw errors.validation('tier must be T1, T2 or T3 (to stop an account, suspend it)', [{ field: 'body.tier', message: 'must be T1, T2 or T3' }]);
    }
    return this.d.db.kysely.transaction().execute(async (tx) => {
      const row = 'email' in ref ? await this.store.byEmail(normalizeEmail(ref.email), tx) : await this.store.byId(ref.duckling_id, tx);
      if (!row) throw errors.notFound('Duckling not found');
      if (!row.email_verified) throw errors.conflict('The email of this account is not verified yet');
      const previous = row.trust_tier;
      const certId = await this.changeTier(tx, row, tier, 'admin', 'admin', ctx);
      return { duckling_id: row.id, email: row.email, previous_tier: previous, trust_tier: tier, cert_id: certId };
    });
  }

  /** Applies a tier; on a change, a new certificate and `trust.elevated` (or `trust.lowered`). */
  private async changeTier(tx: Tx, row: DucklingRow, tier: Tier, actorId: string, reason: string, ctx: RequestContext): Promise<string | null> {
    if (tier === row.trust_tier) return (await this.d.certs.current(row.id, tx))?.id ?? null;
    await this.store.update(tx, row.id, { trust_tier: tier, updated_at: this.d.clock.now() });
    const cert = await this.d.certs.issue(tx, { id: row.id, display_name: row.display_name, trust_tier: tier }, ctx);
    const raised = TIERS.indexOf(tier) > TIERS.indexOf(row.trust_tier as Tier);
    await this.d.events.record(tx, {
      type: raised ? 'trust.elevated' : 'trust.lowered', ducklingId: row.id, actorId, subjectId: row.id, ctx,
      data: { duckling_id: row.id, previous_tier: row.trust_tier, trust_tier: tier, cert_id: cert.id, reason },
    });
    return cert.id;
  }
}
