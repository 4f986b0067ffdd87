#!/usr/bin/env node
// Verify a Space Duck birth certificate the way a third party would: with the issuer's
// published keys (JWKS) and its signed revocation list, and nothing else. Dependencies:
// `jose` and Node's own zlib. See docs/certificates.md.
//
//   node examples/verify-certificate.mjs <cert_id | JWS | @file> [--base URL] [--issuer URL]
//        [--jwks file.json] [--status-list file] [--json]
//
//   <cert_id>        fetches the certificate's JWS once from GET <base>/beak/cert/view?cert_id=
//   <JWS> | @file    the compact JWS itself (as handed over by the duckling), or a file holding it
//   --base URL       where to fetch issuer documents from (default: the issuer named in the JWS)
//   --issuer URL     refuse certificates whose `iss` is not exactly this
//   --jwks FILE      a saved copy of /.well-known/jwks.json: no network for the signature
//   --status-list F  a saved copy of the status list (the JSON or the bare JWS): fully offline
//   --json           print the result as JSON
//
// Exit status: 0 valid, 1 not valid (bad signature, revoked, superseded, expired...), 2 usage or I/O error.
import fs from 'node:fs';
import zlib from 'node:zlib';
import * as jose from 'jose';

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args.splice(i, 2)[1] : undefined; };
const flag = (name) => { const i = args.indexOf(`--${name}`); return i >= 0 ? !!args.splice(i, 1) : false; };
const base = opt('base')?.replace(/\/+$/, '');
const pinnedIssuer = opt('issuer');
const jwksFile = opt('jwks');
const statusListFile = opt('status-list');
const asJson = flag('json');
const input = args[0];

class Invalid extends Error {}

function usage(msg) {
  console.error(`${msg}\nusage: verify-certificate.mjs <cert_id | JWS | @file> [--base URL] [--issuer URL] [--jwks file] [--status-list file] [--json]`);
  process.exit(2);
}

async function getJson(url, accept = 'application/json') {
  const res = await fetch(url, { headers: { accept } });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return accept === 'application/json' ? res.json() : res.text();
}

/** 1. The certificate as a compact JWS. */
async function loadCertificate() {
  if (!input) usage('missing certificate');
  if (input.startsWith('@')) return fs.readFileSync(input.slice(1), 'utf8').trim();
  if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(input)) return input;
  if (/^cert_[0-9A-Z]{26}$/.test(input)) {
    if (!base) usage('a cert_id needs --base to fetch the certificate from');
    const view = await getJson(`${base}/beak/cert/view?cert_id=${encodeURIComponent(input)}`).catch((e) => { throw new Invalid(`unknown certificate (${e.message})`); });
    return view.credential;
  }
  usage(`not a cert_id or a compact JWS: ${input}`);
}

async function main() {
  const jws = await loadCertificate();

  // 2. The issuer's public keys. Only EdDSA is accepted; the key is picked by the header's kid.
  const unverified = jose.decodeJwt(jws);
  const origin = base ?? String(unverified.iss ?? '').replace(/\/+$/, '');
  if (!origin) throw new Invalid('the certificate names no issuer; pass --base');
  const jwks = jwksFile ? JSON.parse(fs.readFileSync(jwksFile, 'utf8')) : await getJson(`${origin}/.well-known/jwks.json`);
  const keys = jose.createLocalJWKSet(jwks);

  // 3. The signature and the registered claims (iss pinned if asked; nbf/exp with 60 s of skew).
  const { payload } = await jose.jwtVerify(jws, keys, { algorithms: ['EdDSA'], issuer: pinnedIssuer, clockTolerance: 60 })
    .catch((e) => { throw new Invalid(`signature or claims rejected: ${e.code ?? e.message}`); });
  const vc = payload.vc ?? {};
  const subject = vc.credentialSubject ?? {};
  if (!vc.type?.includes('SpaceDuckBirthCertificate')) throw new Invalid('not a Space Duck birth certificate');
  if (payload.sub !== subject.id) throw new Invalid('sub and credentialSubject.id disagree');

  // 4. The revocation status: the entry names a list and a slot in it.
  const entry = [vc.credentialStatus].flat().find((s) => s?.type === 'BitstringStatusListEntry' && s.statusPurpose === 'revocation');
  if (!entry) throw new Invalid('no revocation status entry');
  const index = Number(entry.statusListIndex);
  if (!Number.isInteger(index) || index < 0) throw new Invalid('bad statusListIndex');
  const listUrl = base ? `${base}${new URL(entry.statusListCredential).pathname}` : entry.statusListCredential;
  const listJws = statusListFile ? fs.readFileSync(statusListFile, 'utf8').trim() : await getJson(listUrl, 'application/vc+jwt');
  const listCompact = listJws.startsWith('{') ? JSON.parse(listJws).credential : listJws;

  // 5. The list is itself a credential signed by the same issuer: never trust an unsigned copy.
  const { payload: listPayload } = await jose.jwtVerify(listCompact, keys, { algorithms: ['EdDSA'], issuer: String(payload.iss), clockTolerance: 60 })
    .catch((e) => { throw new Invalid(`status list rejected: ${e.code ?? e.message}`); });
  const list = listPayload.vc?.credentialSubject ?? {};
  if (listPayload.vc?.id !== entry.statusListCredential) throw new Invalid('the status list is not the one the certificate names');
  if (list.type !== 'BitstringStatusList' || list.statusPurpose !== 'revocation') throw new Invalid('not a revocation status list');

  // 6. GZIP + base64url (multibase prefix `u`), most significant bit first.
  const bits = zlib.gunzipSync(Buffer.from(String(list.encodedList).replace(/^u/, ''), 'base64url'));
  if (index >= bits.length * 8) throw new Invalid('statusListIndex outside the list');
  const revoked = (bits[index >> 3] >> (7 - (index & 7))) & 1;

  return {
    valid: !revoked, status: revoked ? 'revoked' : 'valid',
    cert_id: payload.jti, duckling_id: subject.duckling_id, display_name: subject.display_name, trust_tier: subject.trust_tier,
    issued_at: new Date(payload.iat * 1000).toISOString(), issuer: payload.iss,
    status_list: { url: entry.statusListCredential, index, length: bits.length * 8, ttl_ms: list.ttl },
  };
}

try {
  const r = await main();
  if (asJson) console.log(JSON.stringify(r, null, 2));
  else if (r.valid) console.log(`VALID ${r.cert_id}: ${r.display_name} (${r.duckling_id}), tier ${r.trust_tier}, issued ${r.issued_at} by ${r.issuer}`);
  else console.log(`REVOKED ${r.cert_id}: status-list bit ${r.status_list.index} is set (no longer valid: revoked or superseded)`);
  process.exit(r.valid ? 0 : 1);
} catch (e) {
  if (!(e instanceof Invalid)) { console.error(`error: ${e.message}`); process.exit(2); }
  if (asJson) console.log(JSON.stringify({ valid: false, status: 'invalid', error: e.message }, null, 2));
  else console.log(`INVALID: ${e.message}`);
  process.exit(1);
}
