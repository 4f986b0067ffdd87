// Birth certificates: a row for online checks and a VC-JWT (EdDSA) for offline ones, each with
// a slot in the signed revocation status list (BitstringStatusList).
import crypto from 'node:crypto';
import type { Deps } from '../app.js';
import type { RequestContext, Tx } from '../events/bus.js';
import { errors } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';
import { iso } from '../kernel/clock.js';
import { tierAtLeast } from '../kernel/principal.js';
import { MIN_LIST_BITS } from './bitstring.js';
import { CertFreshness } from './freshness.js';
import { StatusListPublisher, type BuiltStatusList } from './status-list.js';
import { CertStore } from './store.js';
import type { CertRow } from './schema.js';

export { STATUS_LIST_TTL_MS } from './status-list.js';

/** Minimum list length (bits) recommended for herd privacy by the Bitstring Status List spec. */
export const STATUS_LIST_BITS = MIN_LIST_BITS;
/** Slots are drawn from a range kept at most half full, so a random draw rarely collides. */
const MAX_FILL = 0.5;
/** Verification answers kept in memory (about 1.5 KB each). */
const MAX_CACHED_ANSWERS = 10_000;
const CERT_ID = /^cert_[0-9A-HJKMNP-TV-Z]{26}$/;
const NOT_FOUND = 'Certificate not found';

export interface CertSubject { id: string; display_name: string; trust_tier: string }

/** The answer of every verification form (GET/POST /beak/cert/verify, POST /beak/cert). */
export type Verification =
  | { valid: true; cert_id: string; duckling_id: string; display_name: string; trust_tier: string; issued_at: string; status: 'valid'; credential: string }
  | { valid: false; cert_id: string; status: string; revoked_at?: string; reason?: string; superseded_by?: string; message: string };

interface CachedAnswer { answer: Verification; json: string }

export function verification(row: CertRow): Verification {
  if (row.status === 'valid') {
    return {
      valid: true, cert_id: row.id, duckling_id: row.duckling_id, display_name: row.display_name,
      trust_tier: row.trust_tier, issued_at: iso(row.issued_at)!, status: 'valid', credential: row.jws,
    };
  }
  if (row.status === 'superseded') {
    return {
      valid: false, cert_id: row.id, status: 'superseded', superseded_by: row.superseded_by ?? undefined,
      message: `This certificate was superseded by ${row.superseded_by}; verify that one instead.`,
    };
  }
  return {
    valid: false, cert_id: row.id, status: row.status, revoked_at: iso(row.revoked_at) ?? undefined, reason: row.reason ?? undefined,
    message: 'This certificate has been revoked and must not be trusted.',
  };
}

export class CertService {
  readonly store: CertStore;
  private readonly freshness: CertFreshness;
  private readonly statusLists: StatusListPublisher;
  /**
   * Public verification is the hottest read of the platform, so answers are kept in memory:
   * dropped at once when this node revokes or supersedes, and within RECHECK_MS when another does.
   */
  private readonly answers = new Map<string, CachedAnswer>();

  constructor(private readonly d: Deps) {
    this.store = new CertStore(d.db);
    this.freshness = new CertFreshness(this.store, d.clock, (what) => {
      if (what === 'deaths') this.answers.clear();
      this.statusLists.drop();
    });
    this.statusLists = new StatusListPublisher(d, this.store, this.freshness);
  }

  get statusListUrl(): string { return this.statusLists.url; }

  /** Issues a new certificate and supersedes the current one, inside the caller's transaction. */
  async issue(tx: Tx, who: CertSubject, ctx: RequestContext): Promise<CertRow> {
    const now = this.d.clock.now();
    const id = newId('cert', now);
    const statusIndex = await this.freeIndex(tx);
    const jws = await this.d.signing.sign({
      iss: this.d.config.publicUrl, sub: who.id, jti: id, iat: Math.floor(now / 1000), nbf: Math.floor(now / 1000),
      vc: {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential', 'SpaceDuckBirthCertificate'],
        id: `${this.d.config.publicUrl}/beak/cert/verify?cert_id=${id}`,
        issuer: this.d.config.publicUrl,
        validFrom: iso(now),
        credentialSubject: { id: who.id, duckling_id: who.id, display_name: who.display_name, trust_tier: who.trust_tier },
        credentialStatus: {
          id: `${this.statusListUrl}#${statusIndex}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation',
          statusListIndex: String(statusIndex), statusListCredential: this.statusListUrl,
        },
      },
    });
    const row: CertRow = {
      id, duckling_id: who.id, display_name: who.display_name, trust_tier: who.trust_tier, status: 'valid',
      status_index: statusIndex, issued_at: now, revoked_at: null, reason: null, superseded_by: null, jws,
    };
    const superseded = await this.store.supersede(tx, who.id, id, now);
    await this.store.insert(tx, row);
    // Dropped before commit: a read racing the commit is caught by the next fingerprint check.
    if (superseded.length) this.freshness.changed('deaths');
    else if (!this.statusLists.covers(statusIndex)) this.freshness.changed('growth');
    await this.d.events.record(tx, {
      type: 'cert.issued', ducklingId: who.id, actorId: who.id, subjectId: id, ctx,
      data: { cert_id: id, duckling_id: who.id, trust_tier: who.trust_tier, issued_at: iso(now), supersedes: superseded[0]?.id ?? null },
    });
    return row;
  }

  current(ducklingId: string, tx?: Tx): Promise<CertRow | undefined> {
    return this.store.latest(ducklingId, tx);
  }

  /** POST /beak/cert/issue: the valid certificate, or a new one when the last was revoked. */
  async ensureValid(ducklingId: string, ctx: RequestContext): Promise<CertRow> {
    try {
      return await this.d.db.kysely.transaction().execute(async (tx) => {
        // PostgreSQL: the duckling's row is locked first, so concurrent issues run one after the
        // other. Without it, one that found no valid certificate could run its supersede after
        // another's commit and retire the certificate that one had just returned. (SQLite
        // transactions are serialised already, and it has no FOR UPDATE.)
        let who = tx.selectFrom('ducklings').select(['display_name', 'trust_tier']).where('id', '=', ducklingId);
        if (this.d.db.dialect === 'postgres') who = who.forUpdate();
        const d = await who.executeTakeFirst();
        const existing = await this.store.valid(ducklingId, tx);
        if (existing) return existing;
        if (!d) throw errors.unauthorized();
        if (!tierAtLeast(d.trust_tier, 'T1')) throw errors.tier('T1');
        return this.issue(tx, { id: ducklingId, display_name: d.display_name, trust_tier: d.trust_tier }, ctx);
      });
    } catch (err) {
      // Two concurrent issues: the one-valid-certificate index let exactly one through.
      if (!isUniqueViolation(err)) throw err;
      const winner = await this.store.valid(ducklingId);
      if (!winner) throw err;
      return winner;
    }
  }

  /** POST /beak/cert/revoke. 409 when there is nothing valid to revoke. */
  async revoke(ducklingId: string, reason: string, ctx: RequestContext): Promise<CertRow> {
    const row = await this.d.db.kysely.transaction().execute(async (tx) => {
      const revoked = await this.revokeCurrent(tx, ducklingId, reason, ducklingId, ctx);
      if (!revoked) throw errors.conflict('There is no valid certificate to revoke');
      return revoked;
    });
    this.freshness.changed('deaths'); // again after commit: nothing read before it may linger
    return row;
  }

  /**
   * Revokes the duckling's valid certificate, if any, inside the caller's transaction — for
   * the revoke route, and for whoever suspends or deletes an account.
   */
  async revokeCurrent(tx: Tx, ducklingId: string, reason: string, actorId: string | null, ctx: RequestContext): Promise<CertRow | null> {
    const cert = await this.store.valid(ducklingId, tx);
    if (!cert) return null;
    const now = this.d.clock.now();
    if (!(await this.store.revoke(tx, cert, reason, now))) return null;
    this.freshness.changed('deaths');
    await this.d.events.record(tx, {
      type: 'cert.revoked', ducklingId, actorId, subjectId: cert.id, ctx,
      data: { cert_id: cert.id, duckling_id: ducklingId, reason, revoked_at: iso(now) },
    });
    return { ...cert, status: 'revoked', revoked_at: now, reason };
  }

  /** The one verification answer. Unknown and malformed ids are a 404 carrying `valid: false`. */
  async verify(certId: string): Promise<Verification> {
    return (await this.lookup(certId)).answer;
  }

  /** The same answer serialised once, for the public routes to send as is (the hottest path). */
  async verifyJson(certId: string): Promise<string> {
    return (await this.lookup(certId)).json;
  }

  private async lookup(certId: string): Promise<CachedAnswer> {
    if (!CERT_ID.test(certId)) throw errors.notFound(NOT_FOUND, { valid: false });
    const check = this.freshness.check();
    if (check) await check;
    const hit = this.answers.get(certId);
    if (hit) return hit;
    const generation = this.freshness.generation;
    const row = await this.store.byId(certId);
    // Unknown ids are not cached: they would let anyone fill the memory.
    if (!row) throw errors.notFound(NOT_FOUND, { valid: false });
    const answer = verification(row);
    const entry = { answer, json: JSON.stringify(answer) };
    if (generation === this.freshness.generation) {
      if (this.answers.size >= MAX_CACHED_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
      this.answers.set(certId, entry);
    }
    return entry;
  }

  /** A certificate by id for GET /beak/cert/view?cert_id=: the owner sees it all, others the public part. */
  async byId(certId: string): Promise<CertRow> {
    const row = CERT_ID.test(certId) ? await this.store.byId(certId) : undefined;
    if (!row) throw errors.notFound(NOT_FOUND, { valid: false });
    return row;
  }

  async mine(ducklingId: string): Promise<CertRow> {
    const row = await this.store.latest(ducklingId);
    if (!row) throw errors.notFound('No birth certificate yet: verify your email to receive one', { valid: false });
    return row;
  }

  ownerView(row: CertRow) {
    return {
      ...this.publicView(row), reason: row.reason,
      status_list_index: row.status_index, status_list_credential: this.statusListUrl,
    };
  }

  /**
   * What anyone holding the id may see. A certificate never carries an email; the JWS is given
   * even once revoked, since the signed status list is what tells verifiers it is dead.
   */
  publicView(row: CertRow) {
    return {
      cert_id: row.id, duckling_id: row.duckling_id, display_name: row.display_name, trust_tier: row.trust_tier,
      status: row.status, valid: row.status === 'valid', issued_at: iso(row.issued_at)!, revoked_at: iso(row.revoked_at),
      superseded_by: row.superseded_by, credential: row.jws,
    };
  }

  statusList(): Promise<BuiltStatusList> { return this.statusLists.get(); }

  /**
   * A random unused slot. The range is the smallest 131,072·2^k that stays at most half full,
   * so the list grows (doubling) before random draws start to collide often.
   */
  private async freeIndex(tx: Tx): Promise<number> {
    const used = await this.store.slotCount(tx);
    let range = STATUS_LIST_BITS;
    while (used + 1 > range * MAX_FILL) range *= 2;
    for (;;) {
      const candidate = crypto.randomInt(0, range);
      if (!(await this.store.slotTaken(tx, candidate))) return candidate;
    }
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/.test(String(e?.message ?? ''));
}
