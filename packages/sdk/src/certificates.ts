// Offline verification of a birth certificate (CONTRACT §5): the certificate is a VC-JWT signed
// with EdDSA; its revocation bit lives in a signed Bitstring Status List. Given the issuer's JWKS
// and status list (both public and cacheable), anyone can decide validity without asking the
// server about this certificate. WebCrypto Ed25519 and DecompressionStream: browsers and Node ≥ 20.
import { base64Decode, base64UrlJson, utf8 } from './encoding.js';
import type { Jwks } from './types.js';

export interface VerifyCertificateOptions {
  /** The issuer's keys: `GET /.well-known/jwks.json`. */
  jwks: Jwks;
  /**
   * The revocation list: the body of `GET /beak/cert/status-list` (the JSON credential with its
   * `credential` JWS) or the bare JWS (`Accept: application/vc+jwt`). Its signature is checked too.
   */
  statusList: string | { credential?: string; [k: string]: unknown };
  /** Expected issuer (the server's public URL). Without it, the certificate's own `iss` is reported. */
  issuer?: string;
  /** The time to judge by (default: now). */
  now?: Date | number;
  /** Allowed clock skew, in seconds (default 60). */
  clockToleranceSec?: number;
}

export interface CertificateVerification {
  valid: boolean;
  /** `valid`; `revoked` (revoked or superseded: the status list does not tell which); `invalid` (bad signature, wrong issuer, malformed…). */
  status: 'valid' | 'revoked' | 'invalid';
  /** Why it is not valid. */
  reason?: string;
  cert_id?: string;
  duckling_id?: string;
  display_name?: string;
  trust_tier?: string;
  issued_at?: string;
  issuer?: string;
  status_list_index?: number;
  /** The verified payload (only when the signature holds). */
  payload?: Record<string, unknown>;
}

interface Jws { header: { alg?: string; kid?: string; typ?: string }; payload: Record<string, any>; signingInput: string; signature: Uint8Array<ArrayBuffer> }

function parseJws(jws: string): Jws {
  const parts = jws.trim().split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) throw new Error('not a compact JWS');
  return {
    header: base64UrlJson(parts[0]!) as Jws['header'],
    payload: base64UrlJson(parts[1]!) as Record<string, any>,
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: base64Decode(parts[2]!),
  };
}

const keyCache = new WeakMap<object, Promise<CryptoKey>>();

/** Checks a compact EdDSA JWS against a JWKS; returns the payload or a reason. */
export async function verifyJws(jws: string, jwks: Jwks): Promise<{ ok: true; payload: Record<string, any>; kid: string | undefined } | { ok: false; reason: string }> {
  let parsed: Jws;
  try { parsed = parseJws(jws); } catch { return { ok: false, reason: 'malformed: not a compact JWS' }; }
  if (parsed.header.alg !== 'EdDSA') return { ok: false, reason: `unsupported algorithm ${String(parsed.header.alg)}` };
  const candidates = (jwks?.keys ?? []).filter((k) => k.kty === 'OKP' && k.crv === 'Ed25519' && (parsed.header.kid === undefined || k.kid === parsed.header.kid));
  if (!candidates.length) return { ok: false, reason: `no Ed25519 key${parsed.header.kid ? ` with kid ${parsed.header.kid}` : ''} in the JWKS` };
  for (const jwk of candidates) {
    let key = keyCache.get(jwk);
    if (!key) {
      key = crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
      keyCache.set(jwk, key);
    }
    try {
      if (await crypto.subtle.verify({ name: 'Ed25519' }, await key, parsed.signature, utf8(parsed.signingInput))) {
        return { ok: true, payload: parsed.payload, kid: jwk.kid };
      }
    } catch { /* a malformed key or signature: try the next key, then report */ }
  }
  return { ok: false, reason: 'signature does not verify' };
}

/** Decodes a Bitstring Status List `encodedList` (multibase `u` + base64url of GZIP). */
export async function decodeStatusList(encodedList: string): Promise<Uint8Array> {
  const gz = base64Decode(encodedList.replace(/^u/, ''));
  const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Bit `i`, most significant bit first (W3C Bitstring Status List). */
export const statusBit = (bits: Uint8Array, i: number): number => ((bits[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;

const seconds = (now: Date | number | undefined): number => Math.floor((now === undefined ? Date.now() : typeof now === 'number' ? now : now.getTime()) / 1000);

function timeCheck(p: Record<string, any>, nowSec: number, tolerance: number, what: string): string | undefined {
  if (typeof p.nbf === 'number' && p.nbf > nowSec + tolerance) return `${what} is not valid yet`;
  if (typeof p.iat === 'number' && p.iat > nowSec + tolerance) return `${what} was issued in the future`;
  if (typeof p.exp === 'number' && p.exp <= nowSec - tolerance) return `${what} has expired`;
  return undefined;
}

/**
 * Verifies a birth certificate offline. Never throws for a bad certificate: the answer says
 * `valid: false` with a reason. A status list that is itself invalid (bad signature, expired,
 * for another issuer) makes the answer `invalid`: revocation could not be ruled out.
 */
export async function verifyCertificate(jws: string, options: VerifyCertificateOptions): Promise<CertificateVerification> {
  const nowSec = seconds(options.now);
  const tolerance = options.clockToleranceSec ?? 60;
  const bad = (reason: string, extra: Partial<CertificateVerification> = {}): CertificateVerification => ({ valid: false, status: 'invalid', reason, ...extra });

  const cert = await verifyJws(jws, options.jwks);
  if (!cert.ok) return bad(`certificate ${cert.reason}`);
  const p = cert.payload;
  const vc = p.vc ?? {};
  const subject = vc.credentialSubject ?? {};
  const facts: Partial<CertificateVerification> = {
    cert_id: p.jti, duckling_id: subject.duckling_id ?? p.sub, display_name: subject.display_name, trust_tier: subject.trust_tier,
    issued_at: vc.validFrom ?? (typeof p.iat === 'number' ? new Date(p.iat * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined),
    issuer: p.iss, payload: p,
  };
  if (!Array.isArray(vc.type) || !vc.type.includes('SpaceDuckBirthCertificate')) return bad('not a Space Duck birth certificate', facts);
  if (options.issuer !== undefined && p.iss !== options.issuer) return bad(`issued by ${String(p.iss)}, not ${options.issuer}`, facts);
  const late = timeCheck(p, nowSec, tolerance, 'certificate');
  if (late) return bad(late, facts);

  const entry = Array.isArray(vc.credentialStatus) ? vc.credentialStatus.find((e: any) => e?.statusPurpose === 'revocation') : vc.credentialStatus;
  const index = Number(entry?.statusListIndex);
  if (entry?.type !== 'BitstringStatusListEntry' || !Number.isInteger(index) || index < 0) return bad('certificate has no revocation status entry', facts);
  facts.status_list_index = index;

  const listJws = typeof options.statusList === 'string' ? options.statusList : options.statusList?.credential;
  if (typeof listJws !== 'string') return bad('status list has no signed credential (pass the body of GET /beak/cert/status-list)', facts);
  const list = await verifyJws(listJws, options.jwks);
  if (!list.ok) return bad(`status list ${list.reason}`, facts);
  const lp = list.payload;
  const lvc = lp.vc ?? {};
  if (lp.iss !== p.iss) return bad('status list is from another issuer', facts);
  const listId = lvc.id ?? lp.sub;
  if (entry.statusListCredential && listId !== entry.statusListCredential) return bad('status list is not the one the certificate names', facts);
  if (!Array.isArray(lvc.type) || !lvc.type.includes('BitstringStatusListCredential') || lvc.credentialSubject?.statusPurpose !== 'revocation') {
    return bad('not a revocation status list', facts);
  }
  const stale = timeCheck(lp, nowSec, tolerance, 'status list');
  if (stale) return bad(stale, facts);
  let bits: Uint8Array;
  try { bits = await decodeStatusList(String(lvc.credentialSubject.encodedList)); } catch { return bad('status list does not decode', facts); }
  if (index >= bits.length * 8) return bad('status list is shorter than the certificate index', facts);
  if (statusBit(bits, index)) return { valid: false, status: 'revoked', reason: 'the certificate has been revoked or superseded', ...facts };
  return { valid: true, status: 'valid', ...facts };
}
