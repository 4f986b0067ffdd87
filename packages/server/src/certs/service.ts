// Birth certificates: a row for online checks and a VC-JWT (EdDSA) for offline ones, each with
// a slot in the signed revocation status list (BitstringStatusList).
import crypto from 'node:crypto';
import type { Deps } from '../app.js';
import type { Tx } from '../events/bus.js';
import type { RequestContext } from '../events/bus.js';
import { newId } from '../kernel/ids.js';
import { iso } from '../kernel/clock.js';
import type { CertRow } from './schema.js';

/** Minimum list length (bits) recommended for herd privacy by the Bitstring Status List spec. */
export const STATUS_LIST_BITS = 131_072;

export interface CertSubject { id: string; display_name: string; trust_tier: string }

export class CertService {
  constructor(private readonly d: Deps) {}

  get statusListUrl(): string { return `${this.d.config.publicUrl}/beak/cert/status-list`; }

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
    await tx.updateTable('certificates').set({ status: 'superseded', superseded_by: id })
      .where('duckling_id', '=', who.id).where('status', '=', 'valid').execute();
    await tx.insertInto('certificates').values(row).execute();
    await this.d.events.record(tx, {
      type: 'cert.issued', ducklingId: who.id, actorId: who.id, subjectId: id, ctx,
      data: { cert_id: id, duckling_id: who.id, trust_tier: who.trust_tier, issued_at: iso(now) },
    });
    return row;
  }

  current(ducklingId: string, tx?: Tx): Promise<CertRow | undefined> {
    return (tx ?? this.d.db.kysely).selectFrom('certificates').selectAll().where('duckling_id', '=', ducklingId)
      .orderBy('id', 'desc').executeTakeFirst();
  }

  /** A random unused slot: list positions then say nothing about issue order. */
  private async freeIndex(tx: Tx): Promise<number> {
    for (;;) {
      const candidate = crypto.randomInt(0, STATUS_LIST_BITS);
      const used = await tx.selectFrom('certificates').select('id').where('status_index', '=', candidate).executeTakeFirst();
      if (!used) return candidate;
    }
  }
}
