// Ed25519 signing keys for session tokens and certificates, shared by every node through the
// database (private halves sealed with the data key), published as a JWKS. Rotation keeps a
// retired key in the JWKS until every token it signed has expired.
import * as jose from 'jose';
import type { Db } from '../db/index.js';
import type { Clock } from '../kernel/clock.js';
import { seal, unseal } from '../kernel/crypto.js';

const RELOAD_EVERY_MS = 60_000;

interface LoadedKey { kid: string; publicJwk: jose.JWK; publicKey: jose.CryptoKey | Uint8Array | jose.KeyObject; privateKey: jose.CryptoKey | Uint8Array | jose.KeyObject; createdAt: number; retiredAt: number | null }

export class SigningKeys {
  private keys: LoadedKey[] = [];
  private loadedAt = 0;
  private reloading: Promise<void> | null = null;

  constructor(private readonly db: Db, private readonly clock: Clock, private readonly dataKey: Buffer, private readonly maxTokenAgeMs: number) {}

  async init(): Promise<void> {
    await this.reload();
    if (!this.active()) { await this.generate(); await this.reload(); }
  }

  private async generate(): Promise<void> {
    const { publicKey, privateKey } = await jose.generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const publicJwk = await jose.exportJWK(publicKey);
    const privateJwk = await jose.exportJWK(privateKey);
    const kid = await jose.calculateJwkThumbprint(publicJwk);
    await this.db.kysely.insertInto('signing_keys').values({
      kid, public_jwk: JSON.stringify({ ...publicJwk, kid, alg: 'EdDSA', use: 'sig' }),
      private_sealed: seal(this.dataKey, JSON.stringify(privateJwk)), created_at: this.clock.now(), retired_at: null,
    }).execute();
  }

  /** One reload at a time, however many requests notice the keys are stale. */
  reload(): Promise<void> {
    this.reloading ??= this.load().finally(() => { this.reloading = null; });
    return this.reloading;
  }

  private async load(): Promise<void> {
    const rows = await this.db.kysely.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').execute();
    const keys: LoadedKey[] = [];
    for (const r of rows) {
      const privateJwk = JSON.parse(unseal(this.dataKey, r.private_sealed)) as jose.JWK;
      const publicJwk = JSON.parse(r.public_jwk) as jose.JWK;
      keys.push({ kid: r.kid, publicJwk, publicKey: await jose.importJWK(publicJwk, 'EdDSA'), privateKey: await jose.importJWK(privateJwk, 'EdDSA'), createdAt: r.created_at, retiredAt: r.retired_at });
    }
    this.keys = keys;
    this.loadedAt = this.clock.now();
  }

  /** The newest unretired key signs. */
  active(): LoadedKey | undefined { return this.keys.find((k) => k.retiredAt == null); }

  /** Public keys still able to vouch for a live token (or certificate: those never expire). */
  jwks(includeAllForCerts = true): { keys: jose.JWK[] } {
    const now = this.clock.now();
    return { keys: this.keys.filter((k) => includeAllForCerts || k.retiredAt == null || now - k.retiredAt < this.maxTokenAgeMs).map((k) => k.publicJwk) };
  }

  async rotate(): Promise<string> {
    const now = this.clock.now();
    await this.db.kysely.updateTable('signing_keys').set({ retired_at: now }).where('retired_at', 'is', null).execute();
    await this.generate();
    await this.reload();
    return this.active()!.kid;
  }

  async sign(payload: jose.JWTPayload, typ = 'JWT'): Promise<string> {
    // Another node may have rotated: pick up its key within a minute, so every node signs with it.
    // Not awaited: sign() runs inside callers' transactions, where a query on the pool would
    // deadlock SQLite's single connection; this signature uses the key loaded so far.
    if (this.clock.now() - this.loadedAt > RELOAD_EVERY_MS) void this.reload().catch(() => { /* retried on the next sign */ });
    const k = this.active();
    if (!k) throw new Error('no signing key');
    return new jose.SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: k.kid, typ }).sign(k.privateKey);
  }

  /** Verifies a compact JWS against our keys; an unknown kid triggers one reload (another node rotated). */
  async verify(token: string, opts: jose.JWTVerifyOptions): Promise<jose.JWTPayload> {
    const { kid } = jose.decodeProtectedHeader(token);
    let key = this.keys.find((k) => k.kid === kid);
    if (!key && this.clock.now() - this.loadedAt > 1000) { await this.reload(); key = this.keys.find((k) => k.kid === kid); }
    if (!key) throw new Error('unknown kid');
    const { payload } = await jose.jwtVerify(token, key.publicKey, { ...opts, algorithms: ['EdDSA'], currentDate: new Date(this.clock.now()) });
    return payload;
  }
}
