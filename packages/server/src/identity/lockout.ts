// Sign-in lockout (CONTRACT §2): after 10 failed sign-ins for one account within 15 minutes,
// further tries get 429 until the oldest of those failures leaves the window (a sliding window).
//
// Attempts are keyed by an HMAC of the email, not by the account, so an unknown email locks out
// exactly like a real one (no enumeration through 429s). An attempt is recorded *before* the
// password is checked and removed again on success: parallel guesses therefore count against
// the budget while they are in flight, and a burst cannot slip past the limit.
import crypto from 'node:crypto';
import type { Deps } from '../app.js';
import { hmacHex } from '../kernel/crypto.js';
import { errors } from '../kernel/errors.js';

export const LOCKOUT_FAILURES = 10;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;

export interface Attempt { subject: string; id: string }

export class SigninLockout {
  constructor(private readonly d: Deps) {}

  private subject(email: string): string { return hmacHex(this.d.secrets.otpPepper, `signin-attempts:${email}`); }

  /** Reserves one attempt, or throws 429 (with Retry-After) while the account is locked. */
  async begin(email: string): Promise<Attempt> {
    const q = this.d.db.kysely;
    const now = this.d.clock.now();
    const attempt = { subject: this.subject(email), id: crypto.randomUUID() };
    await q.insertInto('signin_attempts').values({ id: attempt.id, subject: attempt.subject, at: now }).execute();
    const recent = await q.selectFrom('signin_attempts').select('at').where('subject', '=', attempt.subject)
      .where('at', '>', now - LOCKOUT_WINDOW_MS).where('id', '!=', attempt.id)
      .orderBy('at', 'desc').limit(LOCKOUT_FAILURES).execute();
    if (recent.length >= LOCKOUT_FAILURES) {
      await q.deleteFrom('signin_attempts').where('id', '=', attempt.id).execute();
      // Unlocks when the 10th most recent failure leaves the window.
      const unlockAt = recent[LOCKOUT_FAILURES - 1]!.at + LOCKOUT_WINDOW_MS;
      throw errors.rateLimited((unlockAt - now) / 1000, 'Too many failed sign-ins; try again later');
    }
    return attempt;
  }

  /** The proof was good: the account starts from a clean slate. */
  async succeeded(attempt: Attempt): Promise<void> { await this.clear(attempt.subject); }

  /** Forget every failure of this email (after a password reset the owner has proven control). */
  async reset(email: string): Promise<void> { await this.clear(this.subject(email)); }

  private async clear(subject: string): Promise<void> {
    await this.d.db.kysely.deleteFrom('signin_attempts').where('subject', '=', subject).execute();
  }

  /** Drops attempts older than the window (the sweeper). */
  async sweep(): Promise<void> {
    await this.d.db.kysely.deleteFrom('signin_attempts').where('at', '<=', this.d.clock.now() - LOCKOUT_WINDOW_MS).execute();
  }
}
