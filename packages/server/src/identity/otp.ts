// One-time codes (CONTRACT §1.4): 6 digits, 10 minutes, single use, 5 wrong tries, stored as a
// peppered HMAC, at most one sent per 60 s per subject and purpose. A new code replaces the old.
import type { Db } from '../db/index.js';
import type { Clock } from '../kernel/clock.js';
import { hmacHex, randomOtp, safeEqual } from '../kernel/crypto.js';
import { errors } from '../kernel/errors.js';
import type { Tx } from '../events/bus.js';

export const OTP_TTL_MS = 10 * 60_000;
export const OTP_MAX_TRIES = 5;
export const OTP_RESEND_MS = 60_000;

export type OtpPurpose = 'verify' | 'signin' | 'reset' | 'phone' | 'peck';

export class Otps {
  constructor(private readonly db: Db, private readonly clock: Clock, private readonly pepper: Buffer) {}

  private hash(purpose: string, subject: string, code: string) { return hmacHex(this.pepper, `${purpose}:${subject}:${code}`); }

  /** A fresh code, or null when one was sent for this subject and purpose less than 60 s ago. */
  async issue(purpose: OtpPurpose, subject: string, tx?: Tx): Promise<string | null> {
    const q = tx ?? this.db.kysely;
    const now = this.clock.now();
    const prev = await q.selectFrom('otps').select('sent_at').where('purpose', '=', purpose).where('subject', '=', subject).executeTakeFirst();
    if (prev && now - prev.sent_at < OTP_RESEND_MS) return null;
    const code = randomOtp();
    const row = { purpose, subject, code_hash: this.hash(purpose, subject, code), attempts: 0, expires_at: now + OTP_TTL_MS, sent_at: now };
    await q.insertInto('otps').values(row)
      .onConflict((oc) => oc.columns(['purpose', 'subject']).doUpdateSet({ code_hash: row.code_hash, attempts: 0, expires_at: row.expires_at, sent_at: now }))
      .execute();
    return code;
  }

  /** Milliseconds until another code may be sent for this subject and purpose (0: now). */
  async retryAfterMs(purpose: OtpPurpose, subject: string): Promise<number> {
    const prev = await this.db.kysely.selectFrom('otps').select('sent_at').where('purpose', '=', purpose).where('subject', '=', subject).executeTakeFirst();
    return prev ? Math.max(0, prev.sent_at + OTP_RESEND_MS - this.clock.now()) : 0;
  }

  /** Drops any outstanding code (e.g. a verification code once the email is verified another way). */
  async discard(purposes: OtpPurpose[], subject: string, tx?: Tx): Promise<void> {
    await (tx ?? this.db.kysely).deleteFrom('otps').where('purpose', 'in', purposes).where('subject', '=', subject).execute();
  }

  /** Deletes codes dead for a day (the sweeper); recently expired ones still answer E4006, not E4005. */
  async sweep(): Promise<number> {
    const r = await this.db.kysely.deleteFrom('otps').where('expires_at', '<=', this.clock.now() - 86_400_000).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /**
   * Consumes a correct code; otherwise throws E4005 (wrong) or E4006 (expired / used up).
   * Deliberately outside any transaction: a wrong guess must count even though the request fails.
   */
  async consume(purpose: OtpPurpose, subject: string, code: string): Promise<void> {
    const q = this.db.kysely;
    const row = await q.selectFrom('otps').selectAll().where('purpose', '=', purpose).where('subject', '=', subject).executeTakeFirst();
    if (!row) throw errors.invalidOtp();
    if (row.expires_at <= this.clock.now()) throw errors.expired('Code expired; request a new one');
    if (row.attempts >= OTP_MAX_TRIES) throw errors.expired('Too many wrong codes; request a new one');
    if (!/^\d{6}$/.test(code) || !safeEqual(row.code_hash, this.hash(purpose, subject, code))) {
      // The increment is conditional, so concurrent guesses cannot exceed the budget.
      await q.updateTable('otps').set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('purpose', '=', purpose).where('subject', '=', subject).where('code_hash', '=', row.code_hash)
        .where('attempts', '<', OTP_MAX_TRIES).execute();
      throw errors.invalidOtp();
    }
    const res = await q.deleteFrom('otps').where('purpose', '=', purpose).where('subject', '=', subject)
      .where('code_hash', '=', row.code_hash).where('attempts', '<', OTP_MAX_TRIES).executeTakeFirst();
    if (Number(res.numDeletedRows) !== 1) throw errors.invalidOtp();
  }
}
