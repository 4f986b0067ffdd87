// Ducklings: hatch, verify, sign in. The rules of CONTRACT §2, with no HTTP in sight.
import type { Deps } from '../app.js';
import type { RequestContext } from '../events/bus.js';
import { errors, AppError } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';
import { iso } from '../kernel/clock.js';
import type { Tier } from '../kernel/principal.js';
import { cleanDisplayName, nameFromEmail, nameKey, normalizeEmail } from './names.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './password.js';
import { DucklingStore } from './store.js';
import type { DucklingRow } from './schema.js';

export const LOCKOUT_FAILURES = 10;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
const BAD_CREDENTIALS = 'Invalid email or credentials';

export interface SignupInput { email: string; password?: string; display_name?: string; phone?: string; referral_code?: string }

export class IdentityService {
  readonly store: DucklingStore;

  constructor(private readonly d: Deps) {
    this.store = new DucklingStore(d.db);
  }

  start(): void {}
  stop(): void {}

  async signup(input: SignupInput, ctx: RequestContext) {
    const email = normalizeEmail(input.email);
    const displayName = input.display_name !== undefined ? cleanDisplayName(input.display_name) : undefined;
    if (await this.store.byEmail(email)) throw errors.exists('An account with this email already exists; use account recovery if it is yours');
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const now = this.d.clock.now();
    const id = newId('dk', now);
    const row = await this.d.db.kysely.transaction().execute(async (tx) => {
      if (await this.store.byEmail(email, tx)) throw errors.exists('An account with this email already exists; use account recovery if it is yours');
      const name = displayName ?? (await this.uniqueName(nameFromEmail(email), tx));
      if (await this.store.nameTaken(nameKey(name), tx)) throw errors.exists('This display name is taken');
      const row: DucklingRow = {
        id, email, email_verified: 0, password_hash: passwordHash, display_name: name, display_name_key: nameKey(name),
        bio: null, directory_visible: 1, trust_tier: 'T0', phone: input.phone ?? null, phone_verified: 0, status: 'active',
        name_changed_at: null, failed_signins: 0, failed_since: null, last_seen: null, last_status: null, last_meta: null,
        created_at: now, updated_at: now, verified_at: null,
      };
      await this.store.insert(tx, row);
      await this.d.events.record(tx, {
        type: 'duckling.hatched', ducklingId: id, actorId: id, subjectId: id, ctx,
        data: { duckling_id: id, display_name: name, trust_tier: 'T0' },
      });
      return row;
    }).catch((err: unknown) => { throw uniqueToConflict(err); });
    await this.sendCode('verify', row.email, 'Verify your Space Duck email', (c) => `Welcome to Space Duck, ${row.display_name}!\n\nYour verification code is ${c}. It is valid for 10 minutes.`);
    return {
      success: true as const, message: 'Duckling hatched. Check your email for the verification code.',
      duckling_id: row.id, email: row.email, display_name: row.display_name, trust_tier: 'T0' as const,
    };
  }

  /** Emails a one-time code unless one went out less than 60 s ago (then the earlier one stands). */
  async sendCode(purpose: 'verify' | 'signin' | 'reset', email: string, subject: string, text: (code: string) => string): Promise<void> {
    const code = await this.d.otps.issue(purpose, email);
    if (code) await this.d.mail.sendMail({ to: email, subject, text: text(code), otp: code });
  }

  async resend(emailRaw: string): Promise<void> {
    const d = await this.store.byEmail(normalizeEmail(emailRaw));
    if (!d || d.email_verified) return;
    await this.sendCode('verify', d.email, 'Verify your Space Duck email', (c) => `Your verification code is ${c}. It is valid for 10 minutes.`);
  }

  /** Email verification: T1, the birth certificate, the first Beak Key and a session. */
  async verify(emailRaw: string, code: string, ctx: RequestContext) {
    const email = normalizeEmail(emailRaw);
    await this.d.otps.consume('verify', email, code);
    const found = await this.store.byEmail(email);
    if (!found) throw errors.invalidOtp();
    return this.completeVerification(found, ctx);
  }

  async completeVerification(found: DucklingRow, ctx: RequestContext) {
    const now = this.d.clock.now();
    const result = await this.d.db.kysely.transaction().execute(async (tx) => {
      const tier: Tier = found.trust_tier === 'T0' ? 'T1' : (found.trust_tier as Tier);
      await this.store.update(tx, found.id, { email_verified: 1, trust_tier: tier, verified_at: found.verified_at ?? now, updated_at: now });
      const cert = await this.d.certs.issue(tx, { id: found.id, display_name: found.display_name, trust_tier: tier }, ctx);
      const { beakKey } = await this.d.keys.issue(tx, { ownerType: 'duckling', ownerId: found.id, ducklingId: found.id, name: 'primary', primary: true });
      await this.d.events.record(tx, {
        type: 'duckling.verified', ducklingId: found.id, actorId: found.id, subjectId: found.id, ctx,
        data: { duckling_id: found.id, trust_tier: tier, cert_id: cert.id },
      });
      const session = await this.d.sessions.issue(found.id, 'verify', ctx, { tx });
      return { tier, cert, beakKey, session };
    });
    return {
      success: true as const, message: 'Email verified. Store your Beak Key now: it is shown only once.',
      duckling_id: found.id, email: found.email, display_name: found.display_name, trust_tier: result.tier,
      cert_id: result.cert.id, beak_key: result.beakKey,
      access_token: result.session.access_token, token: result.session.token, token_type: 'Bearer' as const,
      expires_at: result.session.expires_at, expires_in: result.session.expires_in,
    };
  }

  /** Password or emailed-code sign-in. Every failure looks the same from outside. */
  async signin(input: { email: string; password?: string; otp?: string; issue_beak_key?: boolean }, ctx: RequestContext) {
    const email = normalizeEmail(input.email);
    const d = await this.store.byEmail(email);
    if (input.password === undefined && input.otp === undefined) {
      if (d && d.status === 'active') {
        await this.sendCode('signin', email, 'Your Space Duck sign-in code', (c) => `Your sign-in code is ${c}. It is valid for 10 minutes.`);
      }
      return { success: true as const, message: 'If an account exists for this email, a sign-in code has been sent.' };
    }
    if (d) this.assertNotLocked(d);
    let ok = false;
    if (input.password !== undefined) {
      if (d?.password_hash) ok = await verifyPassword(d.password_hash, input.password);
      else await verifyPassword(await dummyHash(), input.password);
    } else if (input.otp !== undefined) {
      ok = await this.d.otps.consume('signin', email, input.otp).then(() => true, (err) => {
        if (err instanceof AppError && err.status === 400) return false;
        throw err;
      });
    }
    if (!d || !ok || d.status !== 'active') {
      if (d) await this.recordFailure(d, ctx, input.password !== undefined ? 'password' : 'otp');
      throw errors.unauthorized(BAD_CREDENTIALS);
    }
    return this.openSession(d, input.password !== undefined ? 'password' : 'email_code', ctx, {
      rehash: input.password !== undefined && needsRehash(d.password_hash!) ? input.password : undefined,
      issueBeakKey: input.issue_beak_key,
    });
  }

  private assertNotLocked(d: DucklingRow): void {
    const now = this.d.clock.now();
    if (d.failed_signins >= LOCKOUT_FAILURES && d.failed_since != null && now - d.failed_since < LOCKOUT_WINDOW_MS) {
      throw errors.rateLimited((d.failed_since + LOCKOUT_WINDOW_MS - now) / 1000, 'Too many failed sign-ins; try again later');
    }
  }

  private async recordFailure(d: DucklingRow, ctx: RequestContext, method: string): Promise<void> {
    const now = this.d.clock.now();
    const fresh = d.failed_since == null || now - d.failed_since >= LOCKOUT_WINDOW_MS;
    await this.d.db.kysely.transaction().execute(async (tx) => {
      if (fresh) await this.store.update(tx, d.id, { failed_signins: 1, failed_since: now });
      else await tx.updateTable('ducklings').set((eb) => ({ failed_signins: eb('failed_signins', '+', 1) })).where('id', '=', d.id).execute();
      await this.d.events.record(tx, { type: 'signin.failed', ducklingId: d.id, actorId: null, subjectId: d.id, ctx, data: { method } });
    });
  }

  /** A session after any successful proof (password, code, passkey). */
  async openSession(d: DucklingRow, method: string, ctx: RequestContext, opts: { rehash?: string; issueBeakKey?: boolean } = {}) {
    const newHash = opts.rehash ? await hashPassword(opts.rehash) : undefined;
    const out = await this.d.db.kysely.transaction().execute(async (tx) => {
      await this.store.update(tx, d.id, { failed_signins: 0, failed_since: null, ...(newHash ? { password_hash: newHash } : {}) });
      let beakKey: string | undefined;
      if (opts.issueBeakKey) {
        const k = await this.d.keys.issue(tx, { ownerType: 'duckling', ownerId: d.id, ducklingId: d.id, name: 'sign-in' });
        beakKey = k.beakKey;
        await this.d.events.record(tx, { type: 'key.created', ducklingId: d.id, actorId: d.id, subjectId: k.row.id, ctx, data: { key_id: k.row.id, owner_id: d.id, preview: k.row.preview } });
      }
      await this.d.events.record(tx, { type: 'signin.succeeded', ducklingId: d.id, actorId: d.id, subjectId: d.id, ctx, data: { method } });
      const session = await this.d.sessions.issue(d.id, method, ctx, { tx });
      return { session, beakKey };
    });
    return {
      access_token: out.session.access_token, token: out.session.token, token_type: 'Bearer' as const,
      expires_at: out.session.expires_at, expires_in: out.session.expires_in,
      duckling_id: d.id, email: d.email, display_name: d.display_name, trust_tier: d.trust_tier,
      ...(out.beakKey ? { beak_key: out.beakKey } : {}),
    };
  }

  async signout(ducklingId: string, sessionId: string | undefined, ctx: RequestContext): Promise<void> {
    await this.d.db.kysely.transaction().execute(async (tx) => {
      if (sessionId) await this.d.sessions.revoke(sessionId, tx);
      await this.d.events.record(tx, { type: 'signout', ducklingId, actorId: ducklingId, subjectId: sessionId ?? null, ctx, data: {} });
    });
  }

  private async uniqueName(base: string, tx: Parameters<DucklingStore['nameTaken']>[1]): Promise<string> {
    if (!(await this.store.nameTaken(nameKey(base), tx))) return base;
    for (let i = 2; ; i++) {
      const candidate = `${base.slice(0, 32 - String(i).length)}${i}`;
      if (!(await this.store.nameTaken(nameKey(candidate), tx))) return candidate;
    }
  }

  publicTimestamp(ms: number | null): string | null { return iso(ms); }
}

/** A unique-index race (two signups at once) is a 409, not a 500. */
export function uniqueToConflict(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const msg = String((err as Error)?.message ?? '');
  const code = (err as { code?: string }).code;
  if (code === '23505' || /UNIQUE constraint failed/.test(msg)) {
    return errors.exists(/display_name/.test(msg) ? 'This display name is taken' : 'An account with this email already exists');
  }
  return err;
}
