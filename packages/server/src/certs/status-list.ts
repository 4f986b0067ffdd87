// The revocation list as a signed BitstringStatusListCredential (VC-JWT). Built once, kept in
// memory, rebuilt when a certificate dies or a slot is taken beyond the list's end (see
// freshness.ts), and re-signed hourly so a served copy never nears its expiry.
import type { Deps } from '../app.js';
import { iso } from '../kernel/clock.js';
import { sha256hex } from '../kernel/crypto.js';
import { encodeList, listLength } from './bitstring.js';
import type { CertFreshness } from './freshness.js';
import type { CertStore } from './store.js';

/** How long a verifier may cache the list: the credential's `ttl` (ms) and Cache-Control max-age. */
export const STATUS_LIST_TTL_MS = 60_000;
const RESIGN_MS = 60 * 60_000;
/** Each signed copy expires (`exp`, `validUntil`) a day after signing, so an old copy cannot be replayed forever. */
const LIFETIME_MS = 24 * 60 * 60_000;

export interface BuiltStatusList {
  /** The credential as JSON: the decoded `vc` fields plus the compact JWS under `credential`. */
  json: string;
  jws: string;
  etag: string;
  lengthBits: number;
  builtAt: number;
}

export class StatusListPublisher {
  private list: BuiltStatusList | null = null;
  private building: Promise<BuiltStatusList> | null = null;

  constructor(private readonly d: Deps, private readonly store: CertStore, private readonly freshness: CertFreshness) {}

  get url(): string { return `${this.d.config.publicUrl}/beak/cert/status-list`; }

  drop(): void {
    this.list = null;
    this.building = null;
  }

  /** Whether slot `index` lies inside the list as built (true when nothing is built yet). */
  covers(index: number): boolean { return !this.list || index < this.list.lengthBits; }

  async get(): Promise<BuiltStatusList> {
    const check = this.freshness.check();
    if (check) await check;
    if (this.list && this.d.clock.now() - this.list.builtAt < RESIGN_MS) return this.list;
    if (!this.building) {
      const build: Promise<BuiltStatusList> = this.build(this.freshness.generation)
        .finally(() => { if (this.building === build) this.building = null; });
      this.building = build;
    }
    return this.building;
  }

  private async build(generation: number): Promise<BuiltStatusList> {
    const fp = await this.store.listFingerprint();
    const dead = await this.store.deadSlots();
    let maxIndex = Math.max(fp.maxIndex, 0);
    for (const i of dead) if (i > maxIndex) maxIndex = i;
    const lengthBits = listLength(maxIndex);
    const now = this.d.clock.now();
    const iat = Math.floor(now / 1000);
    const issuer = this.d.config.publicUrl;
    const vc = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: this.url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer,
      validFrom: iso(iat * 1000)!,
      validUntil: iso(iat * 1000 + LIFETIME_MS)!,
      credentialSubject: {
        id: `${this.url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation',
        encodedList: encodeList(lengthBits, dead), ttl: STATUS_LIST_TTL_MS,
      },
    };
    const jws = await this.d.signing.sign({ iss: issuer, sub: this.url, iat, nbf: iat, exp: iat + LIFETIME_MS / 1000, vc });
    const json = JSON.stringify({ ...vc, credential: jws });
    const built: BuiltStatusList = { json, jws, etag: `"${sha256hex(json).slice(0, 32)}"`, lengthBits, builtAt: now };
    if (generation === this.freshness.generation) this.list = built;
    return built;
  }
}
