// Passkeys (WebAuthn) with @simplewebauthn/server. The relying party is the configured public
// URL. Challenges are stored server-side, single-use (deleted by the request that uses them,
// expired or not) and live 5 minutes. Sign-in is usernameless: passkeys are discoverable
// credentials, so the login challenge names no account and reveals nothing about any.
import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse,
  type AuthenticationResponseJSON, type AuthenticatorTransportFuture, type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Deps } from '../app.js';
import type { RequestContext, Tx } from '../events/bus.js';
import { iso } from '../kernel/clock.js';
import { AppError, errors } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';
import type { IdentityService } from './service.js';
import type { PasskeyRow } from './schema.js';

export const CHALLENGE_TTL_MS = 5 * 60_000;
const LOGIN_FAILED = 'Passkey sign-in failed';

type Purpose = 'register' | 'login';

export class PasskeyService {
  constructor(private readonly d: Deps, private readonly identity: IdentityService) {}

  private get rp() {
    const u = new URL(this.d.config.publicUrl);
    return { id: u.hostname, origin: u.origin, name: 'Space Duck' };
  }

  private async saveChallenge(challenge: string, purpose: Purpose, ducklingId: string | null): Promise<void> {
    await this.d.db.kysely.insertInto('webauthn_challenges')
      .values({ challenge, purpose, duckling_id: ducklingId, expires_at: this.d.clock.now() + CHALLENGE_TTL_MS }).execute();
  }

  /**
   * Takes the challenge the client signed out of the store. It is deleted whatever happens next,
   * so a response can be tried once; an unknown or already used challenge is `fail`.
   */
  private async takeChallenge(clientDataJSON: string, purpose: Purpose, ducklingId: string | null, fail: () => AppError): Promise<string> {
    let challenge: unknown;
    try { challenge = (JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown }).challenge; } catch { throw fail(); }
    if (typeof challenge !== 'string' || !/^[\w-]{16,256}$/.test(challenge)) throw fail();
    const q = this.d.db.kysely;
    const row = await q.selectFrom('webauthn_challenges').selectAll().where('challenge', '=', challenge).where('purpose', '=', purpose).executeTakeFirst();
    if (!row || row.duckling_id !== ducklingId) throw fail();
    const del = await q.deleteFrom('webauthn_challenges').where('challenge', '=', challenge).executeTakeFirst();
    if (Number(del.numDeletedRows) !== 1) throw fail(); // a concurrent request used it first
    if (row.expires_at <= this.d.clock.now()) throw errors.expired('The passkey challenge expired; start again');
    return challenge;
  }

  // ── registration (a signed-in, verified duckling) ──────────────────────────────────────────

  async registrationOptions(ducklingId: string) {
    const d = await this.identity.store.byId(ducklingId);
    if (!d) throw errors.unauthorized();
    const existing = await this.list(ducklingId);
    const options = await generateRegistrationOptions({
      rpName: this.rp.name, rpID: this.rp.id, userName: d.email, userDisplayName: d.display_name,
      userID: new TextEncoder().encode(d.id), attestationType: 'none', timeout: CHALLENGE_TTL_MS,
      excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: p.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    await this.saveChallenge(options.challenge, 'register', d.id);
    return { options };
  }

  async register(ducklingId: string, credential: RegistrationResponseJSON, name: string | undefined, ctx: RequestContext) {
    const bad = (why = 'The passkey registration could not be verified') => errors.validation(why, [{ field: 'body.credential', message: why }]);
    const challenge = await this.takeChallenge(credential.response.clientDataJSON, 'register', ducklingId, () => bad('Unknown or already used registration challenge'));
    let info;
    try {
      const v = await verifyRegistrationResponse({
        response: credential, expectedChallenge: challenge, expectedOrigin: this.rp.origin, expectedRPID: this.rp.id, requireUserVerification: true,
      });
      if (!v.verified) throw new Error('not verified');
      info = v.registrationInfo;
    } catch { throw bad(); }
    const now = this.d.clock.now();
    const row: PasskeyRow = {
      id: newId('pk', now), duckling_id: ducklingId, credential_id: info.credential.id,
      public_key: Buffer.from(info.credential.publicKey).toString('base64url'), counter: info.credential.counter,
      transports: info.credential.transports ? JSON.stringify(info.credential.transports) : null, name: name ?? null,
      device_type: info.credentialDeviceType, backed_up: info.credentialBackedUp ? 1 : 0, created_at: now, last_used_at: null,
    };
    await this.d.db.kysely.transaction().execute(async (tx) => {
      await tx.insertInto('passkeys').values(row).execute();
      await this.d.events.record(tx, {
        type: 'passkey.registered', ducklingId, actorId: ducklingId, subjectId: row.id, ctx,
        data: { passkey_id: row.id, name: row.name, device_type: row.device_type },
      });
    }).catch((err: unknown) => {
      if (/UNIQUE|23505/.test(`${(err as Error).message} ${(err as { code?: string }).code}`)) throw errors.exists('This passkey is already registered');
      throw err;
    });
    return { success: true as const, passkey_id: row.id, name: row.name, created_at: iso(now)! };
  }

  // ── sign-in (anyone holding a passkey) ────────────────────────────────────────────────────

  async loginOptions() {
    const options = await generateAuthenticationOptions({ rpID: this.rp.id, userVerification: 'required', timeout: CHALLENGE_TTL_MS });
    await this.saveChallenge(options.challenge, 'login', null);
    return { options };
  }

  async login(credential: AuthenticationResponseJSON, ctx: RequestContext) {
    const fail = () => errors.unauthorized(LOGIN_FAILED);
    const challenge = await this.takeChallenge(credential.response.clientDataJSON, 'login', null, fail);
    const pk = await this.d.db.kysely.selectFrom('passkeys').selectAll().where('credential_id', '=', credential.id).executeTakeFirst();
    if (!pk) throw fail();
    // The authenticator names the account it holds the credential for; it must be the owner.
    const handle = credential.response.userHandle;
    if (handle && Buffer.from(handle, 'base64url').toString('utf8') !== pk.duckling_id) throw fail();
    let newCounter: number;
    try {
      const v = await verifyAuthenticationResponse({
        response: credential, expectedChallenge: challenge, expectedOrigin: this.rp.origin, expectedRPID: this.rp.id,
        requireUserVerification: true,
        credential: { id: pk.credential_id, publicKey: new Uint8Array(Buffer.from(pk.public_key, 'base64url')), counter: Number(pk.counter), transports: parseTransports(pk.transports) },
      });
      if (!v.verified) throw new Error('not verified');
      newCounter = v.authenticationInfo.newCounter;
    } catch {
      // Includes a signature counter that did not move forward: a cloned authenticator.
      this.identity.later(() => this.identity.recordFailure({ id: pk.duckling_id }, ctx, 'passkey'));
      throw fail();
    }
    // Compare-and-set on the counter: two uses of one assertion cannot both win.
    const upd = await this.d.db.kysely.updateTable('passkeys').set({ counter: newCounter, last_used_at: this.d.clock.now() })
      .where('id', '=', pk.id).where('counter', '=', pk.counter).executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1) throw fail();
    const d = await this.identity.store.byId(pk.duckling_id);
    if (!d) throw fail();
    if (d.status !== 'active') throw errors.forbidden('This account is suspended');
    return this.identity.openSession(d, 'passkey', ctx);
  }

  // ── management ────────────────────────────────────────────────────────────────────────────

  async list(ducklingId: string) {
    const rows = await this.d.db.kysely.selectFrom('passkeys').selectAll().where('duckling_id', '=', ducklingId).orderBy('id', 'desc').execute();
    return rows.map((r) => ({
      passkey_id: r.id, credential_id: r.credential_id, name: r.name, device_type: r.device_type, backed_up: !!r.backed_up,
      transports: parseTransports(r.transports), created_at: iso(r.created_at)!, last_used_at: iso(r.last_used_at),
    }));
  }

  async remove(ducklingId: string, passkeyId: string, ctx: RequestContext) {
    await this.d.db.kysely.transaction().execute(async (tx) => {
      const r = await tx.deleteFrom('passkeys').where('id', '=', passkeyId).where('duckling_id', '=', ducklingId).executeTakeFirst();
      if (Number(r.numDeletedRows) !== 1) throw errors.notFound('Passkey not found');
      await this.d.events.record(tx, { type: 'passkey.deleted', ducklingId, actorId: ducklingId, subjectId: passkeyId, ctx, data: { passkey_id: passkeyId } });
    });
    return { success: true as const, passkey_id: passkeyId, status: 'deleted' as const };
  }

  async removeAll(tx: Tx, ducklingId: string): Promise<void> {
    await tx.deleteFrom('passkeys').where('duckling_id', '=', ducklingId).execute();
  }

  async sweep(): Promise<void> {
    await this.d.db.kysely.deleteFrom('webauthn_challenges').where('expires_at', '<=', this.d.clock.now()).execute();
  }
}

function parseTransports(json: string | null): AuthenticatorTransportFuture[] | undefined {
  if (!json) return undefined;
  try { return JSON.parse(json) as AuthenticatorTransportFuture[]; } catch { return undefined; }
}
