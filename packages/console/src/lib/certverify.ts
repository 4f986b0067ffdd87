// Verifies a birth certificate in the browser, trusting nothing but the issuer's published keys:
// the certificate's EdDSA signature is checked with WebCrypto against GET /.well-known/jwks.json,
// and its revocation slot is read from the signed W3C Bitstring Status List (GET
// /beak/cert/status-list), itself signature-checked, gunzipped with DecompressionStream.

export interface Check { label: string; ok: boolean; detail: string }

export interface LocalVerdict {
  ok: boolean;
  /** The signed claims, once the signature verified. */
  claims?: Record<string, any>;
  revoked?: boolean;
  checks: Check[];
}

type Jwk = JsonWebKey & { kid?: string };

const LEEWAY_S = 300;

const b64urlBytes = (s: string): Uint8Array<ArrayBuffer> => {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(s.length / 4) * 4, '='));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
};

const b64urlJson = (s: string) => JSON.parse(new TextDecoder().decode(b64urlBytes(s)));

async function fetchJson(url: string, accept = 'application/json'): Promise<any> {
  // no-cache: revalidate (cheap with ETags) so a revocation shows the moment it is published.
  const res = await fetch(url, { headers: { accept }, cache: 'no-cache', credentials: 'omit' });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return accept === 'application/json' ? res.json() : res.text();
}

/** Verifies a compact JWS signed with EdDSA by a key of `jwks`; returns its header and payload. */
export async function verifyJws(jws: string, jwks: { keys: Jwk[] }): Promise<{ header: any; payload: any }> {
  const parts = jws.split('.');
  if (parts.length !== 3) throw new Error('not a compact JWS');
  const [h, p, s] = parts as [string, string, string];
  const header = b64urlJson(h);
  if (header.alg !== 'EdDSA' && header.alg !== 'Ed25519') throw new Error(`unexpected algorithm ${header.alg}`);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`no published key has kid ${header.kid}`);
  if (!crypto.subtle) throw new Error('WebCrypto is unavailable (the page must be served over HTTPS or from localhost)');
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    throw new Error('this browser cannot check Ed25519 signatures');
  }
  const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, b64urlBytes(s), new TextEncoder().encode(`${h}.${p}`));
  if (!ok) throw new Error('the signature does not match the published key');
  return { header, payload: b64urlJson(p) };
}

async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const now = () => Math.floor(Date.now() / 1000);

/** Checks `credential` (a birth certificate VC-JWT) for `certId`. Never throws: failures are checks. */
export async function verifyCertificate(certId: string, credential: string): Promise<LocalVerdict> {
  const checks: Check[] = [];
  let jwks: { keys: Jwk[] };
  try {
    jwks = await fetchJson('/.well-known/jwks.json');
  } catch (err) {
    checks.push({ label: 'Issuer keys', ok: false, detail: `Could not load /.well-known/jwks.json: ${(err as Error).message}` });
    return { ok: false, checks };
  }

  let claims: any;
  try {
    const { header, payload } = await verifyJws(credential, jwks);
    claims = payload;
    checks.push({ label: 'Signature', ok: true, detail: `Ed25519 signature verified in this browser with key ${String(header.kid).slice(0, 12)}… from /.well-known/jwks.json` });
  } catch (err) {
    checks.push({ label: 'Signature', ok: false, detail: `Not verified: ${(err as Error).message}` });
    return { ok: false, checks };
  }

  const idOk = claims.jti === certId;
  checks.push({ label: 'Certificate id', ok: idOk, detail: idOk ? `The signed certificate is ${certId}` : `The signed certificate is ${claims.jti}, not ${certId}` });
  const nbfOk = typeof claims.nbf !== 'number' || claims.nbf <= now() + LEEWAY_S;
  if (!nbfOk) checks.push({ label: 'Validity period', ok: false, detail: 'The certificate is not valid yet' });
  if (typeof claims.exp === 'number' && claims.exp < now() - LEEWAY_S) checks.push({ label: 'Validity period', ok: false, detail: 'The certificate has expired' });

  const entry = [claims.vc?.credentialStatus].flat().find((e: any) => e?.type === 'BitstringStatusListEntry' && e?.statusPurpose !== 'suspension');
  let revoked: boolean | undefined;
  if (!entry) {
    checks.push({ label: 'Revocation list', ok: false, detail: 'The certificate names no revocation status list' });
  } else {
    try {
      revoked = await readStatus(entry, jwks);
      checks.push({
        label: 'Revocation list', ok: !revoked,
        detail: revoked ? `Slot ${entry.statusListIndex} of the signed status list is set: revoked` : `Slot ${entry.statusListIndex} of the signed status list is clear: not revoked`,
      });
    } catch (err) {
      checks.push({ label: 'Revocation list', ok: false, detail: `Could not check: ${(err as Error).message}` });
    }
  }
  return { ok: checks.every((c) => c.ok), claims, revoked, checks };
}

async function readStatus(entry: { statusListIndex: string | number; statusListCredential: string }, jwks: { keys: Jwk[] }): Promise<boolean> {
  const index = Number(entry.statusListIndex);
  if (!Number.isInteger(index) || index < 0) throw new Error('bad status list index');
  // Only the list of the server this page came from: the page never talks to another origin.
  const listUrl = new URL(entry.statusListCredential, location.origin);
  if (listUrl.origin !== location.origin) throw new Error(`the status list is hosted elsewhere (${listUrl.origin})`);
  const body = await fetchJson(listUrl.pathname + listUrl.search);
  const jws: string | undefined = typeof body.credential === 'string' ? body.credential : undefined;
  if (!jws) throw new Error('the status list is not signed');
  const { payload } = await verifyJws(jws, jwks);
  if (typeof payload.exp === 'number' && payload.exp < now() - LEEWAY_S) throw new Error('the status list has expired');
  const subject = payload.vc?.credentialSubject ?? payload.credentialSubject;
  const encoded: string | undefined = subject?.encodedList;
  if (typeof encoded !== 'string') throw new Error('the status list carries no encodedList');
  const bits = await gunzip(b64urlBytes(encoded.replace(/^u/, '')));
  if (index >= bits.length * 8) throw new Error('the index is outside the list');
  return ((bits[index >> 3]! >> (7 - (index & 7))) & 1) === 1;
}
