// Birth certificates over HTTP (CONTRACT §5): offline verification against the JWKS alone, the
// signed status list, revocation, supersession, every verification form, and bad input. The app
// listens on a real socket too, so the example verifier in examples/ runs against it.
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import * as jose from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/kernel/clock.js';
import { systemContext } from '../src/events/bus.js';
import { bitAt, decodeList, encodeList, listLength } from '../src/certs/bitstring.js';
import { RECHECK_MS } from '../src/certs/freshness.js';
import { buildApp } from '../src/app.js';
import { makeApp, isEnvelope, uniq, type Hatched, type Res, type TestApp } from './harness.js';

const run = promisify(execFile);
const EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples/verify-certificate.mjs');

let t: TestApp;
let base: string;

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = net.createServer().on('error', reject).listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // Real time, so the example (which checks nbf/exp against its own clock) agrees with the server.
  t = await makeApp({ SPACEDUCK_PUBLIC_URL: base }, { clock: new ManualClock(Date.now()) });
  await t.app.listen({ port, host: '127.0.0.1' });
});
afterAll(async () => { await t?.close(); });

const jwks = async () => jose.createLocalJWKSet((await t.api('GET', '/.well-known/jwks.json')).json);
const now = () => new Date(t.clock.now());

/** The three documented forms, asked the same question. */
async function verifyEveryWay(certId: string): Promise<Res[]> {
  return Promise.all([
    t.api('GET', `/beak/cert/verify?cert_id=${encodeURIComponent(certId)}`),
    t.api('POST', '/beak/cert/verify', { body: { cert_id: certId } }),
    t.api('POST', '/beak/cert', { body: { action: 'verify', cert_id: certId } }),
  ]);
}

async function expectSameEverywhere(certId: string): Promise<Res> {
  const answers = await verifyEveryWay(certId);
  const strip = (r: Res) => ({ status: r.status, body: { ...r.json, request_id: undefined } });
  expect(strip(answers[1]!)).toEqual(strip(answers[0]!));
  expect(strip(answers[2]!)).toEqual(strip(answers[0]!));
  return answers[0]!;
}

/** Fetches the status list, checks its signature against the JWKS and returns the bits. */
async function fetchStatusList() {
  const r = await t.api('GET', '/beak/cert/status-list');
  expect(r.status).toBe(200);
  const { payload, protectedHeader } = await jose.jwtVerify(r.json.credential, await jwks(), { algorithms: ['EdDSA'], currentDate: now() });
  const vc = payload.vc as any;
  // The convenience copy in the JSON is exactly what was signed.
  expect(r.json.credentialSubject).toEqual(vc.credentialSubject);
  return { res: r, vc, kid: protectedHeader.kid, bits: decodeList(vc.credentialSubject.encodedList) };
}

const statusIndexOf = (jws: string): number => Number((jose.decodeJwt(jws).vc as any).credentialStatus.statusListIndex);

async function reissueAs(d: Hatched, tier: string) {
  return t.app.deps.db.kysely.transaction().execute((tx) =>
    t.app.deps.certs.issue(tx, { id: d.duckling_id, display_name: d.display_name, trust_tier: tier }, systemContext));
}

describe('a certificate verified offline', () => {
  it('is a VC-JWT that checks out against the JWKS alone', async () => {
    const d = await t.hatch();
    const v = await expectSameEverywhere(d.cert_id);
    expect(v.status).toBe(200);
    expect(v.json).toMatchObject({ valid: true, cert_id: d.cert_id, duckling_id: d.duckling_id, display_name: d.display_name, trust_tier: 'T1', status: 'valid' });
    expect(v.json.issued_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const { payload, protectedHeader } = await jose.jwtVerify(v.json.credential, await jwks(), { algorithms: ['EdDSA'], issuer: base, currentDate: now() });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload).toMatchObject({ iss: base, sub: d.duckling_id, jti: d.cert_id });
    const vc = payload.vc as any;
    expect(vc.type).toEqual(['VerifiableCredential', 'SpaceDuckBirthCertificate']);
    expect(vc.credentialSubject).toEqual({ id: d.duckling_id, duckling_id: d.duckling_id, display_name: d.display_name, trust_tier: 'T1' });
    expect(vc.credentialStatus).toMatchObject({
      type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListCredential: `${base}/beak/cert/status-list`,
    });
    expect(Number(vc.credentialStatus.statusListIndex)).toBeGreaterThanOrEqual(0);

    // A single changed byte in the payload breaks the signature.
    const [h, p, s] = (v.json.credential as string).split('.');
    const forged = Buffer.from(p!, 'base64url').toString().replace('"T1"', '"T3"');
    await expect(jose.jwtVerify(`${h}.${Buffer.from(forged).toString('base64url')}.${s}`, await jwks(), { currentDate: now() })).rejects.toThrow();
    // A certificate is not a session: our API refuses it as a bearer token.
    expect((await t.api('GET', '/beak/cert/view', { token: v.json.credential })).status).toBe(401);
  });

  it('the example verifier says VALID, then REVOKED, over a real socket', async () => {
    const d = await t.hatch();
    const ok = await run(process.execPath, [EXAMPLE, d.cert_id, '--base', base]);
    expect(ok.stdout).toContain(`VALID ${d.cert_id}`);
    const jws = (await t.api('GET', '/beak/cert/view', { token: d.token })).json.credential;
    const byJws = await run(process.execPath, [EXAMPLE, jws, '--issuer', base, '--json']);
    expect(JSON.parse(byJws.stdout)).toMatchObject({ valid: true, cert_id: d.cert_id, trust_tier: 'T1', status_list: { index: statusIndexOf(jws) } });

    await t.api('POST', '/beak/cert/revoke', { token: d.token, body: { reason: 'key_compromise' } });
    const bad = await run(process.execPath, [EXAMPLE, jws]).then(() => null, (e: { code: number; stdout: string }) => e);
    expect(bad?.code).toBe(1);
    expect(bad?.stdout).toContain(`REVOKED ${d.cert_id}`);
    // Pinning a different issuer refuses even a well-signed certificate.
    const wrong = await run(process.execPath, [EXAMPLE, jws, '--issuer', 'https://evil.example']).then(() => null, (e: { code: number; stdout: string }) => e);
    expect(wrong?.code).toBe(1);
    expect(wrong?.stdout).toContain('INVALID');
  });
});

describe('revocation', () => {
  it('is visible at once online and in the signed status list', async () => {
    const d = await t.hatch();
    const before = await fetchStatusList();
    const idx = statusIndexOf((await t.api('GET', `/beak/cert/verify?cert_id=${d.cert_id}`)).json.credential);
    expect(bitAt(before.bits, idx)).toBe(0);
    expect(before.bits.length * 8).toBeGreaterThanOrEqual(131_072);
    expect(before.vc.credentialSubject).toMatchObject({ type: 'BitstringStatusList', statusPurpose: 'revocation', ttl: 60_000 });
    expect(before.vc.type).toContain('BitstringStatusListCredential');
    expect((await t.api('GET', '/.well-known/jwks.json')).json.keys.map((k: { kid: string }) => k.kid)).toContain(before.kid);

    const rv = await t.api('POST', '/beak/cert/revoke', { token: d.token, body: { reason: 'operator_request' } });
    expect(rv.status).toBe(200);
    expect(rv.json).toEqual({ cert_id: d.cert_id, status: 'revoked', revoked_at: expect.stringMatching(/Z$/), reason: 'operator_request' });

    const v = await expectSameEverywhere(d.cert_id);
    expect(v.status).toBe(200);
    expect(v.json).toMatchObject({ valid: false, cert_id: d.cert_id, status: 'revoked', revoked_at: rv.json.revoked_at, reason: 'operator_request' });
    expect(v.json.message).toMatch(/revoked/);
    expect(v.json.credential).toBeUndefined();

    const after = await fetchStatusList();
    expect(bitAt(after.bits, idx)).toBe(1);
    expect(after.res.headers.etag).not.toBe(before.res.headers.etag);

    // Owner and public views agree on the state; the public one has no private fields.
    const mine = await t.api('GET', '/beak/certificate', { token: d.token });
    expect(mine.json).toMatchObject({ cert_id: d.cert_id, status: 'revoked', valid: false, reason: 'operator_request', status_list_index: idx });
    const pub = await t.api('GET', `/beak/cert/view?cert_id=${d.cert_id}`);
    expect(pub.status).toBe(200);
    expect(pub.json).toMatchObject({ cert_id: d.cert_id, status: 'revoked', duckling_id: d.duckling_id });
    expect(pub.text).not.toContain(d.email);
    expect(pub.json.reason).toBeUndefined();

    // Revoking twice is a conflict and changes nothing.
    const again = await t.api('POST', '/beak/cert/revoke', { token: d.token, body: { reason: 'again' } });
    expect(again.status).toBe(409);
    expect(isEnvelope(again, 'E4090')).toBe(true);
    expect((await t.api('GET', `/beak/cert/verify?cert_id=${d.cert_id}`)).json.reason).toBe('operator_request');

    // Re-issue: a new certificate with a fresh slot, idempotent; the dead one stays dead.
    const re = await t.api('POST', '/beak/cert/issue', { token: d.token });
    expect(re.status).toBe(200);
    expect(re.json).toMatchObject({ status: 'valid', valid: true, trust_tier: 'T1', duckling_id: d.duckling_id });
    expect(re.json.cert_id).not.toBe(d.cert_id);
    const re2 = await t.api('POST', '/beak/cert/issue', { token: d.token });
    expect(re2.json.cert_id).toBe(re.json.cert_id);
    const list = await fetchStatusList();
    expect(bitAt(list.bits, idx)).toBe(1);
    expect(bitAt(list.bits, re.json.status_list_index)).toBe(0);
    expect((await t.api('GET', `/beak/cert/verify?cert_id=${d.cert_id}`)).json.status).toBe('revoked');

    // Both changes are in the duckling's audit log, without secrets.
    const audit = await t.api('GET', '/beak/audit', { token: d.token });
    const types = audit.json.entries.map((e: { event_type: string }) => e.event_type);
    expect(types).toEqual(expect.arrayContaining(['cert.issued', 'cert.revoked']));
    const revokedEntry = audit.json.entries.find((e: { event_type: string }) => e.event_type === 'cert.revoked');
    expect(revokedEntry).toMatchObject({ target_id: d.cert_id, detail: { cert_id: d.cert_id, reason: 'operator_request' } });
    expect(audit.text).not.toContain(d.beak_key);
  });

  it('serves the list with ETag, 304 and Cache-Control, and as a bare JWS on request', async () => {
    const a = await t.api('GET', '/beak/cert/status-list');
    expect(a.headers['cache-control']).toBe('public, max-age=60');
    expect(a.headers['content-type']).toMatch(/^application\/json/);
    const etag = a.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const b = await t.api('GET', '/beak/cert/status-list', { headers: { 'if-none-match': `W/"nope", ${etag}` } });
    expect(b.status).toBe(304);
    expect(b.text).toBe('');
    expect(b.headers.etag).toBe(etag);

    const raw = await t.api('GET', '/beak/cert/status-list', { headers: { accept: 'application/vc+jwt' } });
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toMatch(/^application\/vc\+jwt/);
    expect(raw.text).toBe(a.json.credential);
    expect(raw.headers.etag).not.toBe(etag);

    const d = await t.hatch();
    await t.api('POST', '/beak/cert/revoke', { token: d.token });
    const c = await t.api('GET', '/beak/cert/status-list', { headers: { 'if-none-match': etag } });
    expect(c.status).toBe(200);
    expect(c.headers.etag).not.toBe(etag);
    expect((await t.api('GET', `/beak/cert/verify?cert_id=${d.cert_id}`)).json).toMatchObject({ status: 'revoked', reason: 'unspecified' });
  });
});

describe('races', () => {
  it('concurrent issues agree on one certificate and concurrent revokes on one winner', async () => {
    const d = await t.hatch();
    const revokes = await Promise.all([1, 2, 3].map(() => t.api('POST', '/beak/cert/revoke', { token: d.token, body: { reason: 'race' } })));
    expect(revokes.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const issues = await Promise.all([1, 2, 3].map(() => t.api('POST', '/beak/cert/issue', { token: d.token })));
    expect(issues.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(issues.map((r) => r.json.cert_id)).size).toBe(1);
    const valid = await t.app.deps.db.kysely.selectFrom('certificates').select('id')
      .where('duckling_id', '=', d.duckling_id).where('status', '=', 'valid').execute();
    expect(valid.map((r) => r.id)).toEqual([issues[0]!.json.cert_id]);
  });
});

describe('signing inside a transaction', () => {
  it('still issues once the signing keys are due for a reload (no deadlock on SQLite)', async () => {
    const d = await t.hatch();
    t.clock.advance(2 * 60_000);
    await t.api('POST', '/beak/cert/revoke', { token: d.token });
    const re = await t.api('POST', '/beak/cert/issue', { token: d.token });
    expect(re.status).toBe(200);
    expect(re.json.cert_id).not.toBe(d.cert_id);
  });
});

describe('two nodes on one database', () => {
  it("a revocation on one node shows on the other's verify and status list within the recheck interval", async () => {
    const other = await buildApp(t.config, { logger: false, clock: t.clock, schema: t.schema });
    try {
      const d = await t.hatch();
      const idx = statusIndexOf((await t.api('GET', `/beak/cert/verify?cert_id=${d.cert_id}`)).json.credential);
      expect(bitAt((await fetchStatusList()).bits, idx)).toBe(0); // this node has both answers cached now
      const r = await other.inject({
        method: 'POST', url: '/beak/cert/revoke', payload: { reason: 'elsewhere' }, headers: { authorization: `Bearer ${d.token}` },
      });
      expect(r.statusCode).toBe(200);
      t.clock.advance(RECHECK_MS);
      const v = await t.api('GET', `/beak/cert/verify?cert_id=${d.cert_id}`);
      expect(v.json).toMatchObject({ valid: false, status: 'revoked', reason: 'elsewhere' });
      expect(bitAt((await fetchStatusList()).bits, idx)).toBe(1);
    } finally {
      await other.close();
    }
  });
});

describe('supersession on a tier change', () => {
  it('the old certificate reads superseded and points to the new one', async () => {
    const d = await t.hatch();
    const oldIdx = statusIndexOf((await t.api('GET', `/beak/cert/verify?cert_id=${d.cert_id}`)).json.credential);
    // Trust elevation through the public route: SMS code, then T2 and a new certificate.
    const phone = `+4477009${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
    expect((await t.api('PUT', '/beak/trust/elevate', { token: d.token, body: { phone } })).status).toBe(202);
    const elevated = await t.api('PUT', '/beak/trust/elevate', { token: d.token, body: { phone, otp: await t.otp(phone) } });
    expect(elevated.json).toMatchObject({ trust_tier: 'T2' });
    const fresh = { id: elevated.json.cert_id as string, status_index: 0 };
    fresh.status_index = statusIndexOf((await t.api('GET', `/beak/cert/verify?cert_id=${fresh.id}`)).json.credential);

    const old = await expectSameEverywhere(d.cert_id);
    expect(old.status).toBe(200);
    expect(old.json).toMatchObject({ valid: false, cert_id: d.cert_id, status: 'superseded', superseded_by: fresh.id });
    expect(old.json.message).toContain(fresh.id);
    const now_ = await expectSameEverywhere(fresh.id);
    expect(now_.json).toMatchObject({ valid: true, cert_id: fresh.id, trust_tier: 'T2' });

    const mine = await t.api('GET', '/beak/cert/view', { token: d.token });
    expect(mine.json).toMatchObject({ cert_id: fresh.id, trust_tier: 'T2', status: 'valid' });
    const list = await fetchStatusList();
    expect(bitAt(list.bits, oldIdx)).toBe(1);
    expect(bitAt(list.bits, fresh.status_index)).toBe(0);
    // Issue is idempotent with a valid certificate, and revoke now hits the new one.
    expect((await t.api('POST', '/beak/cert/issue', { token: d.token })).json.cert_id).toBe(fresh.id);
    expect((await t.api('POST', '/beak/cert/revoke', { token: d.token, body: { reason: 'x' } })).json.cert_id).toBe(fresh.id);
  });

  it('a re-issue inside another feature\'s transaction supersedes the same way', async () => {
    const d = await t.hatch();
    const fresh = await reissueAs(d, 'T3');
    expect((await t.api('GET', `/beak/cert/verify?cert_id=${d.cert_id}`)).json).toMatchObject({ status: 'superseded', superseded_by: fresh.id });
    expect((await t.api('GET', `/beak/cert/verify?cert_id=${fresh.id}`)).json).toMatchObject({ valid: true, trust_tier: 'T3' });
  });
});

describe("an agent's Beak Key", () => {
  it("can read its operator's certificate but not issue or revoke it", async () => {
    const d = await t.hatch();
    const reg = await t.api('POST', '/beak/agent/register', { token: d.token, body: { agent_name: 'CertBot' } });
    expect(reg.status).toBe(200);
    const key = reg.json.beak_key as string;
    expect((await t.api('GET', '/beak/cert/view', { token: key })).json).toMatchObject({ cert_id: d.cert_id, duckling_id: d.duckling_id });
    for (const url of ['/beak/cert/revoke', '/beak/cert/issue']) {
      const r = await t.api('POST', url, { token: key, body: {} });
      expect(r.status).toBe(403);
      expect(isEnvelope(r, 'E4030')).toBe(true);
    }
    expect((await t.api('GET', `/beak/cert/verify?cert_id=${d.cert_id}`)).json.valid).toBe(true);
  });
});

describe('bad input', () => {
  it('unknown and malformed ids are a 404 envelope with valid:false, in every form', async () => {
    for (const id of ['cert_00000000000000000000000000', 'CERT-abc123', 'cert_e5f6g7h8', "cert_' or 1=1 --"]) {
      const r = await expectSameEverywhere(id);
      expect(r.status).toBe(404);
      expect(isEnvelope(r, 'E4040')).toBe(true);
      expect(r.json.valid).toBe(false);
      const pub = await t.api('GET', `/beak/cert/view?cert_id=${encodeURIComponent(id)}`);
      expect(pub.status).toBe(404);
      expect(pub.json.valid).toBe(false);
    }
  });

  it('missing or oversized ids and unknown actions are validation errors', async () => {
    expect(isEnvelope(await t.api('GET', '/beak/cert/verify'), 'E4000')).toBe(true);
    expect(isEnvelope(await t.api('POST', '/beak/cert/verify', { body: {} }), 'E4000')).toBe(true);
    expect(isEnvelope(await t.api('POST', '/beak/cert/verify', { body: { cert_id: 'x'.repeat(300) } }), 'E4000')).toBe(true);
    expect(isEnvelope(await t.api('POST', '/beak/cert', { body: { action: 'revoke', cert_id: 'cert_00000000000000000000000000' } }), 'E4000')).toBe(true);
    expect(isEnvelope(await t.api('POST', '/beak/cert/verify', { raw: '{"cert_id":' }), 'E4000')).toBe(true);
  });

  it('credentials are required where they should be', async () => {
    expect(isEnvelope(await t.api('GET', '/beak/cert/view'), 'E4001')).toBe(true);
    expect(isEnvelope(await t.api('POST', '/beak/cert/issue'), 'E4001')).toBe(true);
    expect(isEnvelope(await t.api('POST', '/beak/cert/revoke', { body: { reason: 'x' } }), 'E4001')).toBe(true);
    const d = await t.hatch();
    expect(isEnvelope(await t.api('POST', '/beak/cert/revoke', { token: d.token, body: { reason: '' } }), 'E4000')).toBe(true);
    expect((await t.api('GET', `/beak/cert/verify?cert_id=${d.cert_id}`)).json.valid).toBe(true);
  });

  it('a T0 duckling cannot issue, has nothing to view or revoke', async () => {
    const email = `${uniq('t0')}@example.com`;
    const password = 'correct horse battery staple';
    expect((await t.api('POST', '/beak/signup', { body: { email, password } })).status).toBe(200);
    const s = await t.api('POST', '/beak/signin', { body: { email, password } });
    expect(s.status).toBe(200);
    const token = s.json.access_token as string;
    const issue = await t.api('POST', '/beak/cert/issue', { token });
    expect(issue.status).toBe(403);
    expect(isEnvelope(issue, 'E4002')).toBe(true);
    expect(issue.json.message).toContain('T1');
    const view = await t.api('GET', '/beak/cert/view', { token });
    expect(view.status).toBe(404);
    expect(isEnvelope(await t.api('POST', '/beak/cert/revoke', { token, body: { reason: 'x' } }), 'E4090')).toBe(true);
  });
});

describe('the status list encoding', () => {
  it('is MSB-first GZIP base64url with a multibase prefix, never shorter than 131,072 bits', () => {
    const enc = encodeList(listLength(0), [0, 9, 131_071]);
    expect(enc.startsWith('uH4sI')).toBe(true);
    const bits = decodeList(enc);
    expect(bits.length * 8).toBe(131_072);
    expect([bits[0], bits[1], bits[16_383]]).toEqual([0x80, 0x40, 0x01]);
    expect([listLength(131_071), listLength(131_072), listLength(300_000)]).toEqual([131_072, 262_144, 524_288]);
  });

  it('grows past 131,072 entries once the slots are half taken', async () => {
    // Take every slot of the first 131,072 (as if that many certificates had been issued), so
    // the next certificate must land above them and the list must grow to cover it.
    const db = t.app.deps.db.kysely;
    const taken = await db.selectFrom('cert_status_slots').select('status_index').execute();
    const used = new Set(taken.map((r) => Number(r.status_index)));
    const rows = [];
    for (let i = 0; i < 131_072; i++) if (!used.has(i)) rows.push({ status_index: i, cert_id: `seed_${i}`, revoked_at: null });
    for (let i = 0; i < rows.length; i += 5000) await db.insertInto('cert_status_slots').values(rows.slice(i, i + 5000)).execute();

    const d = await t.hatch();
    const cert = (await t.api('GET', '/beak/cert/view', { token: d.token })).json;
    expect(cert.status_list_index).toBeGreaterThanOrEqual(131_072);
    await t.api('POST', '/beak/cert/revoke', { token: d.token, body: { reason: 'growth' } });
    const list = await fetchStatusList();
    expect(list.bits.length * 8).toBeGreaterThan(cert.status_list_index);
    expect(list.bits.length * 8).toBe(listLength(cert.status_list_index));
    expect(bitAt(list.bits, cert.status_list_index)).toBe(1);
  });
});
