// Ducklings: hatch, verify, sign in, sign out, recover, suspend, purge. The rules of CONTRACT §2,
// with no HTTP in sight. Profile, trust elevation and passkeys live beside it (profile.ts,
// trust.ts, passkeys.ts) and are reached through this service.
import type { Deps } from '../app.js';
import type { RequestContext, Tx } from '../events/bus.js';
import { errors, AppError } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';
import { Periodic } from '../kernel/periodic.js';
import { iso } from '../kernel/clock.js';
import { MAX_ACTIVE_KEYS } from '../keys/manager.js';
import type { Principal, Tier } from '../kernel/principal.js';
import { cleanDisplayName, nameFromEmail, nameKey, normalizeEmail } from './names.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './password.js';
import { DucklingStore } from './store.js';
import { SigninLockout } from './lockout.js';
import { ProfileService } from './profile.js';
import { TrustService } from './trust.js';
import { PasskeyService } from './passkeys.js';
import type { OtpPurpose } from './otp.js';
import type { DucklingRow } from './schema.js';

export { LOCKOUT_FAILURES, LOCKOUT_WINDOW_MS } from './lockout.js';
export const UNVERIFIED_TTL_MS = 24 * 3600_000;
const SWEEP_EVERY_MS = 5 * 60_000;
const BAD_CREDENTIALS = 'Invalid email or credentials';
const TAKEN_EMAIL = 'An account with this email already exists; if it is yours, use account recovery (POST /beak/forgot)';

export interface SignupInput { email: string; password?: string; display_name?: string; phone?: string; referral_code?: string }
export interface SigninInput { email: string; password?: string; otp?: string; issue_beak_key?: boolean }

/** Principals that may change account settings: the duckling itself, not one of its agents. */
export function requireDuckling(p: Principal): void {
  if (p.kind !== 'duckling') throw errors.forbidden('Only the duckling itself (not an agent) may do this');
}

export class IdentityService {
  readonly store: DucklingStore;
  readonly lockout: SigninLockout;
  readonly profiles: ProfileService;
  readonly trust: TrustService;
  readonly passkeys: PasskeyService;
  private readonly sweeper: Periodic;
  private readonly outbox = new Set<Promise<void>>();

  constructor(private readonly d: Deps) {
    this.store = new DucklingStore(d.db);
    this.lockout = new SigninLockout(d);
    this.profiles = new ProfileService(d, this.store);
    this.trust = new TrustService(d, this.store);
    this.passkeys = new PasskeyService(d, this);
    this.sweeper = new Periodic('identity sweep', SWEEP_EVERY_MS, () => this.sweep(), d.log);
    void dummyHash(); // computed once, ahead of the first sign-in for an unknown account
  }

  /** The sweeper: purges unverified accounts after 24 h and drops dead challenges and attempts. */
  start(): void { this.sweeper.start(); }

  /** Stops the sweeper; the returned promise settles once queued mail is out (await it before closing the database). */
  stop(): Promise<void> {
    this.sweeper.stop();
    return this.drain();
  }

  /** Waits for mail queued by `later` (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.outbox.size) await Promise.allSettled([...this.outbox]);
  }

  async sweep(): Promise<{ purged: number }> {
    const purged = await this.purgeUnverified();
    await this.lockout.sweep();
    await this.passkeys.sweep();
    await this.d.otps.sweep();
    await this.d.sessions.sweep();
    return { purged };
  }

  // ── signup and verification ─────────────────────────────────────────────────────────────

  async signup(input: SignupInput, ctx: RequestContext) {
    const email = normalizeEmail(input.email);
    const displayName = input.display_name !== undefined ? cleanDisplayName(input.display_name) : undefined;
    if (await this.store.byEmail(email)) throw errors.exists(TAKEN_EMAIL);
    if (displayName && (await this.store.nameTaken(nameKey(displayName)))) throw errors.exists('This display name is taken');
    const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;
    const now = this.d.clock.now();
    const id = newId('dk', now);
    const row = await this.d.db.kysely.transaction().execute(async (tx) => {
      const name = displayName ?? (await this.uniqueName(nameFromEmail(email), tx));
      const row: DucklingRow = {
        id, email, email_verified: 0, password_hash: passwordHash, display_name: name, display_name_key: nameKey(name),
        bio: null, directory_visible: 1, trust_tier: 'T0', phone: input.phone ?? null, phone_verified: 0, status: 'active',
        name_changed_at: null, suspended_at: null, suspend_reason: null, last_seen: null, last_status: null, last_meta: null,
        created_at: now, updated_at: now, verified_at: null,
      };
      await this.store.insert(tx, row);
      await this.d.events.record(tx, {
        type: 'duckling.hatched', ducklingId: id, actorId: id, subjectId: id, ctx,
        data: { duckling_id: id, display_name: name, trust_tier: 'T0', passwordless: passwordHash === null, ...(input.referral_code ? { referral_code: input.referral_code } : {}) },
      });
      return row;
    }).catch((err: unknown) => { throw uniqueToConflict(err); });
    await this.sendCode('verify', row.email, 'Verify your Space Duck email',
      (c) => `Welcome to Space Duck, ${row.display_name}!\n\nYour verification code is ${c}. It is valid for 10 minutes.\n\nIf you did not sign up, ignore this message: the account is deleted after 24 hours.`);
    return {
      success: true as const, message: 'Duckling hatched. Check your email for the verification code.',
      duckling_id: row.id, email: row.email, display_name: row.display_name, trust_tier: 'T0' as const,
    };
  }

  async resend(emailRaw: string): Promise<void> {
    const d = await this.store.byEmail(normalizeEmail(emailRaw));
    if (!d || d.email_verified || d.status !== 'active') return;
    this.later(() => this.sendCode('verify', d.email, 'Verify your Space Duck email', (c) => `Your verification code is ${c}. It is valid for 10 minutes.`));
  }

  /** `POST /beak/verify`: the emailed code proves the address. */
  async verify(emailRaw: string, code: string, ctx: RequestContext) {
    const email = normalizeEmail(emailRaw);
    await this.d.otps.consume('verify', email, code);
    const found = await this.store.byEmail(email);
    if (!found) throw errors.invalidOtp();
    if (found.status !== 'active') throw errors.forbidden('This account is suspended');
    return this.completeVerification(found, ctx);
  }

  /** `POST /beak/verify-email`: the same, for the signed-in duckling. */
  async verifyEmail(p: Principal, code: string, ctx: RequestContext) {
    requireDuckling(p);
    const found = await this.store.byId(p.ducklingId);
    if (!found) throw errors.unauthorized();
    if (found.email_verified) throw errors.conflict('The email is already verified');
    await this.d.otps.consume('verify', found.email, code);
    return this.completeVerification(found, ctx);
  }

  /** T1, the birth certificate, the first Beak Key and a session, in one transaction. */
  async completeVerification(found: DucklingRow, ctx: RequestContext) {
    const out = await this.d.db.kysely.transaction().execute(async (tx) => {
      const v = await this.verifyInTx(tx, found, ctx, 'email_code');
      const session = await this.d.sessions.issue(found.id, 'verify', ctx, { tx });
      return { ...v, session };
    });
    return {
      success: true as const, message: 'Email verified. Store your Beak Key now: it is shown only once.',
      duckling_id: found.id, email: found.email, display_name: found.display_name, trust_tier: out.tier,
      cert_id: out.cert.id, beak_key: out.beakKey,
      access_token: out.session.access_token, token: out.session.token, token_type: 'Bearer' as const,
      expires_at: out.session.expires_at, expires_in: out.session.expires_in,
    };
  }

  private async verifyInTx(tx: Tx, d: DucklingRow, ctx: RequestContext, method: 'email_code' | 'password_reset') {
    const now = this.d.clock.now();
    const tier = (d.trust_tier === 'T0' ? 'T1' : d.trust_tier) as Tier;
    if (!(await this.store.markVerified(tx, d.id, tier, now))) throw errors.conflict('The email is already verified');
    const cert = await this.d.certs.issue(tx, { id: d.id, display_name: d.display_name, trust_tier: tier }, ctx);
    const key = await this.d.keys.issue(tx, { ownerType: 'duckling', ownerId: d.id, ducklingId: d.id, name: 'primary', primary: true });
    await this.d.events.record(tx, {
      type: 'key.created', ducklingId: d.id, actorId: d.id, subjectId: key.row.id, ctx,
      data: { key_id: key.row.id, owner_type: 'duckling', owner_id: d.id, name: key.row.name, preview: key.row.preview, expires_at: iso(key.row.expires_at) },
    });
    await this.d.events.record(tx, {
      type: 'duckling.verified', ducklingId: d.id, actorId: d.id, subjectId: d.id, ctx,
      data: { duckling_id: d.id, email_verified: true, trust_tier: tier, cert_id: cert.id, method },
    });
    return { tier, cert, beakKey: key.beakKey };
  }

  // ── sign-in and sign-out ────────────────────────────────────────────────────────────────

  /** Password or emailed-code sign-in. Every failure looks the same from outside. */
  async signin(input: SigninInput, ctx: RequestContext) {
    const email = normalizeEmail(input.email);
    if (input.password === undefined && input.otp === undefined) {
      const d = await this.store.byEmail(email);
      if (d && d.status === 'active') {
        this.later(() => this.sendCode('signin', email, 'Your Space Duck sign-in code', (c) => `Your sign-in code is ${c}. It is valid for 10 minutes.`));
      }
      return { success: true as const, message: 'If an account exists for this email, a sign-in code has been sent.' };
    }
    const method = input.password !== undefined ? 'password' : 'email_code';
    const attempt = await this.lockout.begin(email);
    const d = await this.store.byEmail(email);
    let ok = false;
    if (input.password !== undefined) {
      if (d?.password_hash) ok = await verifyPassword(d.password_hash, input.password);
      else await verifyPassword(await dummyHash(), input.password); // unknown or passwordless: same cost, no oracle
    } else {
      ok = await this.d.otps.consume('signin', email, input.otp!).then(() => true, (err: unknown) => {
        if (err instanceof AppError && err.status === 400) return false;
        throw err;
      });
    }
    if (!d || !ok) {
      // Audited after the response: the answer for a real account must not take longer.
      if (d) this.later(() => this.recordFailure(d, ctx, method));
      throw errors.unauthorized(BAD_CREDENTIALS);
    }
    await this.lockout.succeeded(attempt);
    if (d.status !== 'active') throw errors.forbidden('This account is suspended');
    if (input.issue_beak_key && d.trust_tier === 'T0') throw errors.tier('T1');
    return this.openSession(d, method, ctx, {
      rehash: input.password !== undefined && needsRehash(d.password_hash!) ? input.password : undefined,
      issueBeakKey: input.issue_beak_key,
    });
  }

  async recordFailure(d: Pick<DucklingRow, 'id'>, ctx: RequestContext, method: string): Promise<void> {
    await this.d.db.kysely.transaction().execute(async (tx) => {
      await this.d.events.record(tx, { type: 'signin.failed', ducklingId: d.id, actorId: null, subjectId: d.id, ctx, data: { method } });
    });
  }

  /** A session after any successful proof (password, code, passkey). */
  async openSession(d: DucklingRow, method: string, ctx: RequestContext, opts: { rehash?: string; issueBeakKey?: boolean } = {}) {
    // Parameters changed since this hash was made: upgrade it now that we hold the password.
    const newHash = opts.rehash ? await hashPassword(opts.rehash) : undefined;
    const out = await this.d.db.kysely.transaction().execute(async (tx) => {
      if (newHash) await this.store.update(tx, d.id, { password_hash: newHash });
      let beakKey: string | undefined;
      if (opts.issueBeakKey) {
        if (await this.d.keys.store.countActive(tx, d.id, this.d.clock.now()) >= MAX_ACTIVE_KEYS) {
          throw errors.conflict(`At most ${MAX_ACTIVE_KEYS} active Beak Keys per owner; revoke one first`);
        }
        const k = await this.d.keys.issue(tx, { ownerType: 'duckling', ownerId: d.id, ducklingId: d.id, name: 'sign-in' });
        beakKey = k.beakKey;
        await this.d.events.record(tx, {
          type: 'key.created', ducklingId: d.id, actorId: d.id, subjectId: k.row.id, ctx,
          data: { key_id: k.row.id, owner_type: 'duckling', owner_id: d.id, name: k.row.name, preview: k.row.preview, expires_at: iso(k.row.expires_at) },
        });
      }
      const session = await this.d.sessions.issue(d.id, method, ctx, { tx });
      await this.d.events.record(tx, {
        type: 'signin.succeeded', ducklingId: d.id, actorId: d.id, subjectId: session.session_id, ctx,
        data: { method, session_id: session.session_id, ...(newHash ? { password_rehashed: true } : {}) },
      });
      return { session, beakKey };
    });
    return {
      access_token: out.session.access_token, token: out.session.token, token_type: 'Bearer' as const,
      expires_at: out.session.expires_at, expires_in: out.session.expires_in,
      duckling_id: d.id, email: d.email, display_name: d.display_name, trust_tier: d.trust_tier,
      ...(out.beakKey ? { beak_key: out.beakKey } : {}),
    };
  }

  async signout(p: Principal, ctx: RequestContext): Promise<void> {
    if (p.via !== 'session' || !p.sessionId) {
      throw errors.validation('Sign-out ends a session: present the session token (revoke a Beak Key with DELETE /beak/keys/:key_id)');
    }
    await this.d.db.kysely.transaction().execute(async (tx) => {
      await this.d.sessions.revoke(p.sessionId!, tx);
      await this.d.events.record(tx, { type: 'signout', ducklingId: p.ducklingId, actorId: p.ducklingId, subjectId: p.sessionId, ctx, data: { session_id: p.sessionId } });
    });
  }

  // ── recovery ────────────────────────────────────────────────────────────────────────────

  async forgot(emailRaw: string, ctx: RequestContext): Promise<void> {
    const email = normalizeEmail(emailRaw);
    const d = await this.store.byEmail(email);
    if (!d || d.status !== 'active') return;
    this.later(async () => {
      const sent = await this.sendCode('reset', email, 'Reset your Space Duck password',
        (c) => `Your password reset code is ${c}. It is valid for 10 minutes.\n\nIf you did not ask for it, you can ignore this message.`);
      if (sent) {
        await this.d.db.kysely.transaction().execute((tx) => this.d.events.record(tx, {
          type: 'password.reset_requested', ducklingId: d.id, actorId: null, subjectId: d.id, ctx, data: {},
        }));
      }
    });
  }

  /**
   * Sets a new password from an emailed code, marks the email verified and revokes every
   * session. On a pending (unverified) signup this is how the owner of the address takes it
   * back from whoever hatched it: everything the unverified claimant could have set up (keys,
   * passkeys, phone, bio, the rename allowance) is reset too.
   */
  async reset(input: { email: string; code: string; password: string }, ctx: RequestContext) {
    const email = normalizeEmail(input.email);
    await this.d.otps.consume('reset', email, input.code);
    const d = await this.store.byEmail(email);
    if (!d) throw errors.invalidOtp();
    const passwordHash = await hashPassword(input.password);
    const claimed = !d.email_verified;
    const verified = await this.d.db.kysely.transaction().execute(async (tx) => {
      const now = this.d.clock.now();
      await this.store.update(tx, d.id, {
        password_hash: passwordHash, updated_at: now,
        ...(claimed ? { bio: null, phone: null, phone_verified: 0, name_changed_at: null } : {}),
      });
      await this.d.sessions.revokeAll(d.id, tx);
      let v: Awaited<ReturnType<IdentityService['verifyInTx']>> | undefined;
      if (claimed) {
        await this.d.keys.store.revokeAllOf(tx, d.id, now);
        await this.passkeys.removeAll(tx, d.id);
        v = await this.verifyInTx(tx, d, ctx, 'password_reset');
        await this.d.otps.discard(['verify', 'signin'], email, tx);
      }
      await this.d.events.record(tx, {
        type: 'password.reset', ducklingId: d.id, actorId: d.id, subjectId: d.id, ctx,
        data: { sessions_revoked: true, claimed_pending_signup: claimed },
      });
      return v;
    });
    await this.lockout.reset(email);
    return {
      success: true as const,
      message: verified
        ? 'Password set and email verified. Store your Beak Key now: it is shown only once. Sign in with the new password.'
        : 'Password reset. Every session was signed out; sign in with the new password.',
      duckling_id: d.id,
      ...(verified ? { trust_tier: verified.tier, cert_id: verified.cert.id, beak_key: verified.beakKey } : {}),
    };
  }

  // ── administration ──────────────────────────────────────────────────────────────────────

  /** Suspends (sessions revoked at once; keys refused while suspended) or reinstates an account. */
  async setSuspended(ducklingId: string, suspended: boolean, reason: string | null, ctx: RequestContext) {
    const out = await this.d.db.kysely.transaction().execute(async (tx) => {
      const d = await this.store.byId(ducklingId, tx);
      if (!d) throw errors.notFound('Duckling not found');
      const now = this.d.clock.now();
      const changed = suspended
        ? await this.store.setStatus(tx, d.id, 'active', 'suspended', { suspended_at: now, suspend_reason: reason, updated_at: now })
        : await this.store.setStatus(tx, d.id, 'suspended', 'active', { suspended_at: null, suspend_reason: null, updated_at: now });
      if (!changed) return d;
      if (suspended) {
        await this.d.sessions.revokeAll(d.id, tx);
        // A suspended identity must not keep vouching for itself to third parties: its birth
        // certificate is revoked (online and in the status list). Lifting the suspension does
        // not bring it back; the owner issues a new one (POST /beak/cert/issue).
        await this.d.certs.revokeCurrent(tx, d.id, 'account_suspended', null, ctx);
      }
      await this.d.events.record(tx, {
        type: suspended ? 'duckling.suspended' : 'duckling.unsuspended', ducklingId: d.id, actorId: 'admin', subjectId: d.id, ctx,
        data: { duckling_id: d.id, ...(reason ? { reason } : {}) },
      });
      return this.store.byId(d.id, tx);
    });
    return out!;
  }

  /** Deletes accounts whose email was not verified within 24 h. Returns how many went. */
  async purgeUnverified(): Promise<number> {
    const cutoff = this.d.clock.now() - UNVERIFIED_TTL_MS;
    let purged = 0;
    const skipped = new Set<string>();
    for (;;) {
      const batch = (await this.store.unverifiedBefore(cutoff, 100 + skipped.size)).filter((r) => !skipped.has(r.id));
      if (!batch.length) break;
      for (const r of batch) {
        try {
          const gone = await this.d.db.kysely.transaction().execute(async (tx) => {
            if (!(await this.store.deleteUnverified(tx, r.id, cutoff))) return false;
            // No duckling any more: the event is the platform's record, not an audit entry of the account.
            await this.d.events.record(tx, { type: 'duckling.purged', ducklingId: null, actorId: null, subjectId: r.id, data: { duckling_id: r.id, reason: 'email_not_verified_in_24h' } });
            return true;
          });
          if (gone) { purged++; await this.d.otps.discard(['verify', 'signin', 'reset'], r.email); }
          else skipped.add(r.id);
        } catch (err) {
          skipped.add(r.id);
          this.d.log.warn({ err: (err as Error).message, duckling_id: r.id }, 'could not purge unverified account');
        }
      }
    }
    return purged;
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────

  /** Emails a one-time code unless one went out less than 60 s ago (then the earlier one stands). */
  async sendCode(purpose: Extract<OtpPurpose, 'verify' | 'signin' | 'reset'>, email: string, subject: string, text: (code: string) => string): Promise<boolean> {
    const code = await this.d.otps.issue(purpose, email);
    if (!code) return false;
    try {
      await this.d.mail.sendMail({ to: email, subject, text: text(code), otp: code });
    } catch (err) {
      // The change that asked for the mail is committed; the user can ask for a new code.
      this.d.log.error({ err: (err as Error).message, purpose }, 'could not send a one-time code');
      await this.d.otps.discard([purpose], email);
      return false;
    }
    return true;
  }

  /**
   * Runs work after the response, where the answer must not depend on whether the account
   * exists (sign-in codes, forgot, resend, failed sign-ins): mail or an audit write would
   * otherwise time it. Shutdown waits for it (`drain`).
   */
  later(task: () => Promise<unknown>): void {
    const p: Promise<void> = task().then(() => undefined, (err: Error) => { this.d.log.error({ err: err.message }, 'deferred identity mail failed'); })
      .finally(() => { this.outbox.delete(p); });
    this.outbox.add(p);
  }

  private async uniqueName(base: string, tx: Tx): Promise<string> {
    if (!(await this.store.nameTaken(nameKey(base), tx))) return base;
    for (let i = 2; ; i++) {
      const candidate = `${[...base].slice(0, 32 - String(i).length).join('')}${i}`;
      if (!(await this.store.nameTaken(nameKey(candidate), tx))) return candidate;
    }
  }
}

/** A unique-index race (two signups at once) is a 409, not a 500. */
export function uniqueToConflict(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const msg = String((err as Error)?.message ?? '');
  const code = (err as { code?: string }).code;
  if (code === '23505' || /UNIQUE constraint failed/.test(msg)) {
    const detail = `${msg} ${(err as { constraint?: string; detail?: string }).constraint ?? ''} ${(err as { detail?: string }).detail ?? ''}`;
    return errors.exists(/display_name/.test(detail) ? 'This display name is taken' : TAKEN_EMAIL);
  }
  return err;
}
