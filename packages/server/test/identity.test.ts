// Identity and authentication (CONTRACT §2) over HTTP: hatch, verify, sign-in, sessions,
// recovery, lockout, squatting, purge, status, profile, renames and trust elevation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as jose from 'jose';
import { isEnvelope, makeApp, uniq, type TestApp } from './harness.js';
import { audit, codes, newEmail, nextCode, pending, signin } from './identity-helpers.js';

let t: TestApp;
beforeAll(async () => { t = await makeApp(); });
afterAll(async () => { await t?.close(); });

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('seed 000: hatch', () => {
  it('signup → verify gives T1, a certificate, a working Beak Key and a session', async () => {
    const email = newEmail('seed0');
    const display = `MyDuckling${uniq('')}`;
    const s = await t.api('POST', '/beak/signup', { body: { action: 'signup', email, display_name: display, phone: '+1234567890' } });
    expect(s.status).toBe(200);
    expect(s.json).toEqual({ success: true, message: expect.any(String), duckling_id: expect.stringMatching(/^dk_[0-9A-Z]{26}$/), email, display_name: display, trust_tier: 'T0' });
    const otp = await t.otp(email);
    expect(otp).toMatch(/^\d{6}$/);
    const v = await t.api('POST', '/beak/verify', { body: { action: 'verify', email, otp } });
    expect(v.status).toBe(200);
    expect(v.json).toMatchObject({
      success: true, duckling_id: s.json.duckling_id, email, display_name: display, trust_tier: 'T1',
      cert_id: expect.stringMatching(/^cert_/), beak_key: expect.stringMatching(/^bk_[A-Za-z0-9]{40,}$/), token_type: 'Bearer',
    });
    expect(v.json.access_token).toBe(v.json.token);
    expect(Date.parse(v.json.expires_at) - t.clock.now()).toBeGreaterThan(23 * HOUR);

    const byKey = await t.api('GET', '/beak/profile', { headers: { 'x-beak-key': v.json.beak_key } });
    expect(byKey.status).toBe(200);
    expect(byKey.json).toMatchObject({ duckling_id: s.json.duckling_id, cert_id: v.json.cert_id, cert_status: 'valid', email_verified: true, phone: '+1234567890', phone_verified: false });
    const events = (await audit(t, v.json.access_token)).map((e) => e.event_type);
    expect(events).toEqual(expect.arrayContaining(['duckling.hatched', 'duckling.verified', 'cert.issued', 'key.created']));

    // The code was single use.
    const again = await t.api('POST', '/beak/verify', { body: { email, otp } });
    expect(again.status).toBe(400);
    expect(isEnvelope(again, 'E4005')).toBe(true);
  });

  it('derives a unique display name from the email when none is given', async () => {
    const local = uniq('quack');
    const a = await t.api('POST', '/beak/signup', { body: { email: `${local}@example.com` } });
    const b = await t.api('POST', '/beak/signup', { body: { email: `${local}@example.org` } });
    expect(a.json.display_name).toBe(local);
    expect(b.json.display_name).toBe(`${local}2`);
  });

  it('the hatch alias takes seed 001\'s display name with a space; markup and bad fields are refused without a trace', async () => {
    const h = await t.api('POST', '/beak/hatch', { body: { email: newEmail(), display_name: `My Agent ${uniq('')}` } });
    expect(h.status).toBe(200);
    const bad: [Record<string, unknown>, string][] = [
      [{ email: newEmail(), display_name: 'x<script>' }, 'display_name'],
      [{ email: newEmail(), display_name: 'ab' }, 'display_name'],
      [{ email: `${'x'.repeat(250)}@example.com` }, 'email'],
      [{ email: 'not-an-email' }, 'email'],
      [{ email: newEmail(), password: 'short' }, 'password'],
      [{ email: newEmail(), password: 'x'.repeat(1025) }, 'password'],
      [{ email: newEmail(), phone: '0123456' }, 'phone'],
      [{ email: 42 }, 'email'],
    ];
    for (const [body, field] of bad) {
      const r = await t.api('POST', '/beak/signup', { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(isEnvelope(r, 'E4000')).toBe(true);
      expect(JSON.stringify(r.json.details ?? r.json.message)).toContain(field);
      if (typeof body.email === 'string' && body.email.includes('@') && body.email.length < 254) {
        const again = await t.api('POST', '/beak/signup', { body: { email: body.email } });
        expect(again.status, 'nothing was created by the refused request').toBe(200);
      }
    }
    const malformed = await t.api('POST', '/beak/signup', { raw: '{"email": ' });
    expect(malformed.status).toBe(400);
    expect(isEnvelope(malformed, 'E4000')).toBe(true);
  });
});

describe('display names', () => {
  it('any script is welcome; stacked marks and look-alike duplicates are not', async () => {
    const hindi = await t.api('POST', '/beak/signup', { body: { email: newEmail(), display_name: `मोहन दास ${uniq('').slice(0, 4)}` } });
    expect(hindi.status).toBe(200);
    const zalgo = await t.api('POST', '/beak/signup', { body: { email: newEmail(), display_name: 'Z\u0301\u0302\u0303\u0304algo' } });
    expect([zalgo.status, zalgo.json.code]).toEqual([400, 'E4000']);
    const dashes = await t.api('POST', '/beak/signup', { body: { email: newEmail(), display_name: '- _ -' } });
    expect(dashes.status).toBe(400);
    const ascii = uniq('Wide');
    expect((await t.api('POST', '/beak/signup', { body: { email: newEmail(), display_name: ascii } })).status).toBe(200);
    const fullWidth = [...ascii].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
    const twin = await t.api('POST', '/beak/signup', { body: { email: newEmail(), display_name: fullWidth } });
    expect([twin.status, twin.json.code]).toEqual([409, 'E4003']);
  });
});

describe('seed 002: password signup', () => {
  it('signup with request_id, verify with `code`, sign in by every alias', async () => {
    const email = newEmail('seed2');
    const password = 'securepassword123';
    const s = await t.api('POST', '/beak/signup', { body: { email, password, request_id: uniq('rq') } });
    expect(s.status).toBe(200);
    const dup = await t.api('POST', '/beak/signup', { body: { email: email.toUpperCase(), password } });
    expect(dup.status).toBe(409);
    expect(isEnvelope(dup, 'E4003')).toBe(true);
    const v = await t.api('POST', '/beak/verify', { body: { email, code: await t.otp(email) } });
    expect(v.status).toBe(200);
    for (const url of ['/beak/signin', '/beak/auth', '/beak/login']) {
      const r = await t.api('POST', url, { body: { email: email.toUpperCase(), password } });
      expect(r.status, url).toBe(200);
      expect(r.json).toMatchObject({ token_type: 'Bearer', duckling_id: s.json.duckling_id, email, trust_tier: 'T1', expires_in: 86_400 });
      expect(r.json).not.toHaveProperty('beak_key');
    }
  });

  it('wrong, expired and exhausted codes: E4005, E4006, then dead', async () => {
    const { email } = await pending(t);
    const code = (await t.otp(email))!;
    const wrong = code === '000000' ? '111111' : '000000';
    const w = await t.api('POST', '/beak/verify', { body: { email, otp: wrong } });
    expect([w.status, w.json.code]).toEqual([400, 'E4005']);
    t.clock.advance(10 * MIN + 1);
    const late = await t.api('POST', '/beak/verify', { body: { email, otp: code } });
    expect([late.status, late.json.code]).toEqual([400, 'E4006']);

    const known = (await codes(t, email)).length;
    await t.api('POST', '/beak/verify/resend', { body: { email } });
    const fresh = await nextCode(t, email, known);
    for (let i = 0; i < 5; i++) await t.api('POST', '/beak/verify', { body: { email, otp: fresh === '000000' ? '111111' : '000000' } });
    const dead = await t.api('POST', '/beak/verify', { body: { email, otp: fresh } });
    expect([dead.status, dead.json.code]).toEqual([400, 'E4006']);
    const missing = await t.api('POST', '/beak/verify', { body: { email } });
    expect([missing.status, missing.json.code]).toEqual([400, 'E4000']);
  });

  it('resend replaces the code, at most once a minute, and answers alike for every address', async () => {
    const { email } = await pending(t);
    const first = (await t.otp(email))!;
    const soon = await t.api('POST', '/beak/verify/resend', { body: { email } });
    const ghost = await t.api('POST', '/beak/verify/resend', { body: { email: newEmail('ghost') } });
    expect(soon.status).toBe(200);
    expect(ghost.json).toEqual(soon.json);
    await t.app.deps.identity.drain();
    expect(await codes(t, email)).toHaveLength(1); // throttled: the first code stands
    t.clock.advance(61_000);
    await t.api('POST', '/beak/verify/resend', { body: { email } });
    const second = await nextCode(t, email, 1);
    const old = await t.api('POST', '/beak/verify', { body: { email, otp: first } });
    if (first !== second) expect(old.json.code).toBe('E4005');
    const ok = await t.api('POST', '/beak/verify', { body: { email, otp: second } });
    expect(ok.status).toBe(200);
  });
});

describe('seed 004: passwordless sign-in by emailed code', () => {
  it('{ email } mails a code for real accounts only; { email, otp } opens a session', async () => {
    const email = newEmail('seed4');
    await t.api('POST', '/beak/signup', { body: { email, display_name: uniq('quackling') } });
    await t.api('POST', '/beak/verify', { body: { email, otp: await t.otp(email) } });
    const known = (await codes(t, email)).length;
    const ask = await t.api('POST', '/beak/signin', { body: { email } });
    const ghostEmail = newEmail('nobody');
    const ghost = await t.api('POST', '/beak/signin', { body: { email: ghostEmail } });
    expect(ask.status).toBe(200);
    expect(ghost.json).toEqual(ask.json);
    const code = await nextCode(t, email, known);
    await t.app.deps.identity.drain();
    expect(await codes(t, ghostEmail)).toEqual([]);

    const r = await t.api('POST', '/beak/signin', { body: { email, otp: code } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ token: expect.stringMatching(/^eyJ/), trust_tier: 'T1', expires_at: expect.stringMatching(/Z$/) });
    const reuse = await t.api('POST', '/beak/signin', { body: { email, otp: code } });
    expect([reuse.status, reuse.json.code]).toEqual([401, 'E4001']);
    // A passwordless account has no password to guess.
    const pw = await signin(t, email, 'any password at all');
    expect([pw.status, pw.json.message]).toEqual([401, reuse.json.message]);
  });
});

describe('sessions', () => {
  it('a session token verifies offline against the published JWKS', async () => {
    const d = await t.hatch();
    const jwks = await t.api('GET', '/.well-known/jwks.json');
    expect(jwks.json.keys.every((k: Record<string, unknown>) => !('d' in k))).toBe(true);
    const { payload, protectedHeader } = await jose.jwtVerify(d.token, jose.createLocalJWKSet(jwks.json), {
      audience: 'spaceduck', issuer: t.config.publicUrl, currentDate: new Date(t.clock.now()),
    });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload.sub).toBe(d.duckling_id);
    expect(payload.sid).toMatch(/^ses_/);
    expect(payload.exp! - payload.iat!).toBe(86_400);
  });

  it('sign-out refuses the token at once; other sessions live on; tokens expire', async () => {
    const d = await t.hatch();
    const other = (await signin(t, d.email, d.password)).json.token;
    const out = await t.api('POST', '/beak/signout', { token: d.token });
    expect(out.status).toBe(200);
    expect(out.json).toEqual({ success: true });
    const after = await t.api('GET', '/beak/profile', { token: d.token });
    expect([after.status, after.json.code]).toEqual([401, 'E4001']);
    expect((await t.api('POST', '/beak/signout', { token: d.token })).status).toBe(401);
    expect((await t.api('GET', '/beak/profile', { token: other })).status).toBe(200);
    const byKey = await t.api('POST', '/beak/signout', { headers: { 'x-beak-key': d.beak_key } });
    expect([byKey.status, byKey.json.code]).toEqual([400, 'E4000']);
    const entries = await audit(t, other);
    expect(entries.find((e) => e.event_type === 'signout')).toBeTruthy();

    t.clock.advance(DAY + 1000);
    expect((await t.api('GET', '/beak/profile', { token: other })).status).toBe(401);
    expect((await t.api('GET', '/beak/profile', { token: 'eyJnot.a.token' })).status).toBe(401);
    expect((await t.api('GET', '/beak/profile', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });

  it('a token minted for another audience (SSO bridge) never authenticates API routes', async () => {
    const d = await t.hatch();
    const bridged = await t.app.deps.sessions.issue(d.duckling_id, 'sso', { ip: null, userAgent: null }, { audience: 'mission-control' });
    const r = await t.api('GET', '/beak/profile', { token: bridged.token });
    expect([r.status, r.json.code]).toEqual([401, 'E4001']);
  });

  it('issue_beak_key: true mints a new, working key; T0 accounts may sign in but not mint keys', async () => {
    const d = await t.hatch();
    const r = await signin(t, d.email, d.password, { issue_beak_key: true });
    expect(r.status).toBe(200);
    expect(r.json.beak_key).toMatch(/^bk_[A-Za-z0-9]{40,}$/);
    expect(r.json.beak_key).not.toBe(d.beak_key);
    const p = await t.api('GET', '/beak/profile', { headers: { 'x-beak-key': r.json.beak_key } });
    expect(p.json.duckling_id).toBe(d.duckling_id);

    const p0 = await pending(t);
    const s0 = await signin(t, p0.email, p0.password);
    expect([s0.status, s0.json.trust_tier]).toEqual([200, 'T0']);
    const k0 = await signin(t, p0.email, p0.password, { issue_beak_key: true });
    expect([k0.status, k0.json.code]).toEqual([403, 'E4002']);
  });

  it('a stale argon2 hash is upgraded on the next good sign-in', async () => {
    const d = await t.hatch();
    const { hash, Algorithm } = await import('@node-rs/argon2');
    const weak = await hash(d.password, { algorithm: Algorithm.Argon2id, memoryCost: 8192, timeCost: 1, parallelism: 1 });
    await t.app.deps.db.kysely.updateTable('ducklings').set({ password_hash: weak }).where('id', '=', d.duckling_id).execute();
    expect((await signin(t, d.email, d.password)).status).toBe(200);
    const row = await t.app.deps.identity.store.byId(d.duckling_id);
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await signin(t, d.email, d.password)).status).toBe(200);
  });
});

describe('no account enumeration', () => {
  it('wrong password and unknown account: one status, one message, comparable time', async () => {
    const d = await t.hatch();
    const ghost = newEmail('ghost');
    const known: number[] = [];
    const unknown: number[] = [];
    let a, b;
    for (let i = 0; i < 5; i++) {
      let s = performance.now();
      a = await signin(t, d.email, `wrong password ${i}`);
      known.push(performance.now() - s);
      s = performance.now();
      b = await signin(t, ghost, `wrong password ${i}`);
      unknown.push(performance.now() - s);
    }
    expect([a!.status, a!.json.code]).toEqual([401, 'E4001']);
    expect(b!.json.message).toBe(a!.json.message);
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    // Both paths pay one argon2id verification: skipping it for unknown accounts would make them
    // an order of magnitude faster. (Loose bounds: other suites share the CPU.)
    expect(median(unknown) / median(known)).toBeGreaterThan(0.25);
    expect(median(unknown) / median(known)).toBeLessThan(4);
    expect((await signin(t, d.email, d.password)).status).toBe(200);
  });

  it('forgot and verify answer alike for unknown addresses', async () => {
    const d = await t.hatch();
    const f1 = await t.api('POST', '/beak/forgot', { body: { email: d.email } });
    const f2 = await t.api('POST', '/beak/forgot', { body: { email: newEmail('ghost') } });
    expect([f1.status, f2.status]).toEqual([200, 200]);
    expect(f2.json).toEqual(f1.json);
    const v1 = await t.api('POST', '/beak/verify', { body: { email: newEmail('ghost'), otp: '123456' } });
    const p = await pending(t);
    const real = (await t.otp(p.email))!;
    const v2 = await t.api('POST', '/beak/verify', { body: { email: p.email, otp: real === '123456' ? '654321' : '123456' } });
    expect([v1.status, v1.json.code, v1.json.message]).toEqual([v2.status, v2.json.code, v2.json.message]);
  });
});

describe('lockout', () => {
  it('10 failures in 15 minutes lock the account (429 + Retry-After) until the window slides past', async () => {
    const d = await t.hatch();
    for (let i = 0; i < 10; i++) {
      const r = await signin(t, d.email, `wrong password ${i}`, {});
      expect(r.status).toBe(401);
      t.clock.advance(30_000);
    }
    const locked = await signin(t, d.email, d.password);
    expect([locked.status, locked.json.code]).toEqual([429, 'E4004']);
    // The first failure (5 min ago) leaves the window 15 min after it happened: in 10 min.
    expect(Number(locked.headers['retry-after'])).toBe(600);
    t.clock.advance(9 * MIN);
    const still = await signin(t, d.email, d.password);
    expect([still.status, Number(still.headers['retry-after'])]).toEqual([429, 60]);
    t.clock.advance(61_000);
    const open = await signin(t, d.email, d.password);
    expect(open.status).toBe(200);
    await t.app.deps.identity.drain(); // failures are audited after their response
    const failed = (await audit(t, open.json.token)).filter((e) => e.event_type === 'signin.failed');
    expect(failed.length).toBe(10);
    expect(failed[0]).toMatchObject({ ip: expect.any(String), user_agent: expect.any(String), detail: { method: 'password' } });
    expect(JSON.stringify(failed)).not.toContain('wrong password');
  });

  it('a success clears the count; unknown emails lock out exactly like real ones', async () => {
    const d = await t.hatch();
    for (let i = 0; i < 9; i++) await signin(t, d.email, 'not the password');
    expect((await signin(t, d.email, d.password)).status).toBe(200);
    for (let i = 0; i < 9; i++) await signin(t, d.email, 'not the password');
    expect((await signin(t, d.email, d.password)).status).toBe(200);

    const ghost = newEmail('ghost');
    for (let i = 0; i < 10; i++) expect((await signin(t, ghost, 'not the password')).status).toBe(401);
    const r = await signin(t, ghost, 'not the password');
    expect([r.status, r.json.code]).toEqual([429, 'E4004']);
    expect(r.headers['retry-after']).toBeTruthy();
  });

  it('wrong emailed codes count too', async () => {
    const d = await t.hatch();
    for (let i = 0; i < 10; i++) await t.api('POST', '/beak/signin', { body: { email: d.email, otp: '000000' } });
    const r = await t.api('POST', '/beak/signin', { body: { email: d.email, otp: '123456' } });
    expect(r.status).toBe(429);
  });
});

describe('recovery and the squatting rule', () => {
  it('reset sets the password, revokes every session and is refused with bad codes', async () => {
    const d = await t.hatch();
    const s2 = (await signin(t, d.email, d.password)).json.token;
    const known = (await codes(t, d.email)).length;
    await t.api('POST', '/beak/forgot', { body: { email: d.email } });
    const code = await nextCode(t, d.email, known);

    const weak = await t.api('POST', '/beak/reset', { body: { email: d.email, code, password: 'short' } });
    expect([weak.status, weak.json.code]).toEqual([400, 'E4000']);
    const wrong = await t.api('POST', '/beak/reset', { body: { email: d.email, code: code === '000000' ? '111111' : '000000', password: 'a brand new password' } });
    expect([wrong.status, wrong.json.code]).toEqual([400, 'E4005']);
    expect((await t.api('GET', '/beak/profile', { token: d.token })).status).toBe(200);

    const ok = await t.api('POST', '/beak/reset', { body: { email: d.email, otp: code, password: 'a brand new password' } });
    expect(ok.status).toBe(200);
    expect(ok.json).not.toHaveProperty('beak_key');
    for (const token of [d.token, s2]) expect((await t.api('GET', '/beak/profile', { token })).status).toBe(401);
    expect((await signin(t, d.email, d.password)).status).toBe(401);
    const fresh = await signin(t, d.email, 'a brand new password');
    expect(fresh.status).toBe(200);
    // The Beak Key is not a session: it keeps working.
    expect((await t.api('GET', '/beak/profile', { headers: { 'x-beak-key': d.beak_key } })).status).toBe(200);
    const reused = await t.api('POST', '/beak/reset', { body: { email: d.email, code, password: 'yet another password' } });
    expect(reused.status).toBe(400);
    expect((await audit(t, fresh.json.token)).map((e) => e.event_type)).toEqual(expect.arrayContaining(['password.reset', 'password.reset_requested']));
  });

  it('an expired reset code is E4006', async () => {
    const d = await t.hatch();
    const known = (await codes(t, d.email)).length;
    await t.api('POST', '/beak/forgot', { body: { email: d.email } });
    const code = await nextCode(t, d.email, known);
    t.clock.advance(11 * MIN);
    const r = await t.api('POST', '/beak/reset', { body: { email: d.email, code, password: 'a brand new password' } });
    expect([r.status, r.json.code]).toEqual([400, 'E4006']);
  });

  it('a squatted pending signup is taken back by the address owner through reset', async () => {
    const email = newEmail('victim');
    // The squatter hatches the victim's address with a password of its own and signs in (T0 may).
    const squat = await t.api('POST', '/beak/signup', { body: { email, password: 'squatter password' } });
    expect(squat.status).toBe(200);
    const squatter = (await signin(t, email, 'squatter password')).json.token;
    expect((await t.api('POST', '/beak/name-change', { token: squatter, body: { new_display_name: uniq('Squat') } })).status).toBe(200);
    const planted = await t.api('POST', '/beak/keys', { token: squatter, body: { name: 'planted' } });
    expect(planted.json.beak_key).toMatch(/^bk_/);

    // The owner cannot sign up again ...
    const again = await t.api('POST', '/beak/signup', { body: { email, password: 'owner password 1' } });
    expect([again.status, again.json.code]).toEqual([409, 'E4003']);
    expect(again.json.message).toMatch(/recovery/);
    // ... but recovers it: the reset verifies the email and evicts the squatter.
    const known = (await codes(t, email)).length;
    await t.api('POST', '/beak/forgot', { body: { email } });
    const code = await nextCode(t, email, known);
    const r = await t.api('POST', '/beak/reset', { body: { email, code, password: 'owner password 1' } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ duckling_id: squat.json.duckling_id, trust_tier: 'T1', cert_id: expect.stringMatching(/^cert_/), beak_key: expect.stringMatching(/^bk_/) });
    expect((await t.api('GET', '/beak/profile', { token: squatter })).status).toBe(401);
    expect((await t.api('GET', '/beak/profile', { headers: { 'x-beak-key': planted.json.beak_key } })).status).toBe(401);
    expect((await t.api('GET', '/beak/profile', { headers: { 'x-beak-key': r.json.beak_key } })).status).toBe(200);
    expect((await signin(t, email, 'squatter password')).status).toBe(401);
    const owner = await signin(t, email, 'owner password 1');
    expect(owner.json.trust_tier).toBe('T1');
    const profile = await t.api('GET', '/beak/profile', { token: owner.json.token });
    expect(profile.json).toMatchObject({ email_verified: true, cert_status: 'valid', next_name_change_at: null });
    // The owner may rename at once: the squatter's rename does not count against them.
    expect((await t.api('POST', '/beak/name-change', { token: owner.json.token, body: { new_display_name: uniq('Owner') } })).status).toBe(200);
  });
});

describe('purge of unverified accounts', () => {
  it('after 24 h the sweeper deletes the account and the address is free again', async () => {
    const p = await pending(t);
    const verified = await t.hatch();
    t.clock.advance(23 * HOUR);
    await t.app.deps.identity.sweep();
    expect((await t.api('POST', '/beak/signup', { body: { email: p.email } })).status).toBe(409);
    t.clock.advance(2 * HOUR);
    const { purged } = await t.app.deps.identity.sweep();
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await t.app.deps.identity.store.byId(p.duckling_id)).toBeUndefined();
    const verifyOld = await t.api('POST', '/beak/verify', { body: { email: p.email, otp: '123456' } });
    expect(verifyOld.status).toBe(400);
    const again = await t.api('POST', '/beak/signup', { body: { email: p.email, password: 'a fresh password' } });
    expect(again.status).toBe(200);
    expect(again.json.duckling_id).not.toBe(p.duckling_id);
    expect((await signin(t, verified.email, verified.password)).status).toBe(200);
  });
});

describe('verify-email (signed in)', () => {
  it('a T0 session verifies its email with the code; twice is a conflict', async () => {
    const p = await pending(t);
    const token = (await signin(t, p.email, p.password)).json.token;
    const code = (await t.otp(p.email))!;
    const none = await t.api('POST', '/beak/verify-email', { body: { otp: code } });
    expect(none.status).toBe(401);
    const wrong = await t.api('POST', '/beak/verify-email', { token, body: { otp: code === '000000' ? '111111' : '000000' } });
    expect([wrong.status, wrong.json.code]).toEqual([400, 'E4005']);
    const ok = await t.api('POST', '/beak/verify-email', { token, body: { code } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ trust_tier: 'T1', beak_key: expect.stringMatching(/^bk_/), cert_id: expect.stringMatching(/^cert_/) });
    const twice = await t.api('POST', '/beak/verify-email', { token, body: { otp: code } });
    expect([twice.status, twice.json.code]).toEqual([409, 'E4090']);
  });
});

describe('account status', () => {
  it('the owner sees everything; anyone else learns nothing', async () => {
    const d = await t.hatch();
    const other = await t.hatch();
    const anon = await t.api('POST', '/beak/status', { body: { email: d.email } });
    const ghost = await t.api('POST', '/beak/status', { body: { email: 'Ghost@Example.com' } });
    expect(anon.json).toEqual({ email: d.email, status: 'unknown' });
    expect(ghost.json).toEqual({ email: 'ghost@example.com', status: 'unknown' });
    expect((await t.api('POST', '/beak/status', { token: other.token, body: { email: d.email } })).json).toEqual({ email: d.email, status: 'unknown' });

    const own = await t.api('POST', '/beak/status', { token: d.token, body: { email: d.email } });
    expect(own.json).toEqual({
      email: d.email, duckling_id: d.duckling_id, status: 'active', email_verified: true, phone_verified: false, trust_tier: 'T1',
      cert_status: 'valid', connected_agents: 0, liveness_verified: false,
    });
    const byId = await t.api('GET', `/beak/status?duckling_id=${d.duckling_id}`, { headers: { 'x-beak-key': d.beak_key } });
    expect(byId.json.trust_tier).toBe('T1');
    expect((await t.api('GET', `/beak/status?duckling_id=${d.duckling_id}`)).json).toEqual({ duckling_id: d.duckling_id, status: 'unknown' });
    expect((await t.api('GET', '/beak/status')).status).toBe(400);
    expect((await t.api('POST', '/beak/status', { token: 'eyJbogus', body: { email: d.email } })).status).toBe(401);
  });

  it('SPACEDUCK_PUBLIC_STATUS=true opens it to anyone', async () => {
    const pub = await makeApp({ SPACEDUCK_PUBLIC_STATUS: 'true' });
    try {
      const d = await pub.hatch();
      const r = await pub.api('POST', '/beak/status', { body: { email: d.email } });
      expect(r.json).toMatchObject({ duckling_id: d.duckling_id, trust_tier: 'T1', status: 'active' });
      expect((await pub.api('POST', '/beak/status', { body: { email: newEmail() } })).json.status).toBe('not_found');
    } finally { await pub.close(); }
  });
});

describe('profile and display names', () => {
  it('profile has the contract fields and counts registered Space Ducks', async () => {
    const d = await t.hatch();
    const p = await t.api('GET', '/beak/profile', { token: d.token });
    expect(p.json).toMatchObject({
      duckling_id: d.duckling_id, email: d.email, display_name: d.display_name, trust_tier: 'T1', cert_id: d.cert_id,
      cert_status: 'valid', egg_count: 0, email_verified: true, phone_verified: false, directory_visible: true, created_at: expect.stringMatching(/Z$/),
    });
    const reg = await t.api('POST', '/beak/agent/register', { token: d.token, body: { agent_name: 'Eggbert' } });
    expect(reg.status).toBe(200);
    expect((await t.api('GET', '/beak/profile', { token: d.token })).json.egg_count).toBe(1);
    // An agent acts for its operator but does not edit the operator's account.
    const asAgent = await t.api('POST', '/beak/profile/update', { headers: { 'x-beak-key': reg.json.beak_key }, body: { bio: 'hi' } });
    expect([asAgent.status, asAgent.json.code]).toEqual([403, 'E4030']);
  });

  it('profile/update changes bio and visibility; bad input changes nothing', async () => {
    const d = await t.hatch();
    const r = await t.api('POST', '/beak/profile/update', { token: d.token, body: { bio: '  Quack.  ', directory_visible: false } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ bio: 'Quack.', directory_visible: false, display_name: d.display_name });
    for (const body of [{ bio: 'x'.repeat(281) }, { directory_visible: 'nope' }, {}, { display_name: 'bad<name>' }]) {
      const bad = await t.api('POST', '/beak/profile/update', { token: d.token, body });
      expect([bad.status, bad.json.code], JSON.stringify(body)).toEqual([400, 'E4000']);
    }
    const same = await t.api('GET', '/beak/profile', { token: d.token });
    expect(same.json).toMatchObject({ bio: 'Quack.', directory_visible: false, display_name: d.display_name });
    expect((await audit(t, d.token)).some((e) => e.event_type === 'profile.updated')).toBe(true);
  });

  it('one rename per 30 days across both routes; names unique case-insensitively; the certificate follows', async () => {
    const a = await t.hatch();
    const b = await t.hatch();
    const taken = await t.api('POST', '/beak/name-change', { token: a.token, body: { new_display_name: b.display_name.toUpperCase() } });
    expect([taken.status, taken.json.code]).toEqual([409, 'E4003']);
    const name = uniq('Renamed');
    const r = await t.api('POST', '/beak/name-change', { token: a.token, body: { new_display_name: ` ${name} ` } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ display_name: name, previous_display_name: a.display_name });
    const p = await t.api('GET', '/beak/profile', { token: a.token });
    expect(p.json.display_name).toBe(name);
    expect(p.json.cert_id).not.toBe(a.cert_id);
    expect(p.json.cert_status).toBe('valid');

    const soon = await t.api('POST', '/beak/profile/update', { token: a.token, body: { display_name: uniq('Again') } });
    expect([soon.status, soon.json.code]).toEqual([429, 'E4004']);
    expect(Number(soon.headers['retry-after'])).toBe(30 * 86_400);
    // Re-sending the current name is not a change.
    expect((await t.api('POST', '/beak/name-change', { token: a.token, body: { new_display_name: name } })).status).toBe(200);
    t.clock.advance(29 * DAY);
    const a2 = (await signin(t, a.email, a.password)).json.token; // sessions last a day
    const still = await t.api('POST', '/beak/name-change', { token: a2, body: { new_display_name: uniq('Again') } });
    expect([still.status, Number(still.headers['retry-after'])]).toEqual([429, 86_400]);
    t.clock.advance(DAY);
    const later = await t.api('POST', '/beak/profile/update', { headers: { 'x-beak-key': a.beak_key }, body: { display_name: uniq('Later') } });
    expect(later.status).toBe(200);
    // The freed name can be taken by someone else, in another case.
    expect((await t.api('POST', '/beak/name-change', { headers: { 'x-beak-key': b.beak_key }, body: { new_display_name: name.toLowerCase() } })).status).toBe(200);
  });
});

describe('trust elevation', () => {
  it('an SMS code proves the phone: T2 and a new certificate superseding the old one', async () => {
    const d = await t.hatch();
    const phone = `+4477009${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
    const send = await t.api('PUT', '/beak/trust/elevate', { token: d.token, body: { phone } });
    expect(send.status).toBe(202);
    expect(send.json).toMatchObject({ status: 'otp_sent' });
    const again = await t.api('POST', '/beak/trust/elevate', { token: d.token, body: { phone } });
    expect([again.status, again.json.code]).toEqual([429, 'E4004']);
    expect(again.headers['retry-after']).toBeTruthy();
    const code = (await t.otp(phone))!;
    const wrong = await t.api('POST', '/beak/trust/elevate', { token: d.token, body: { phone, otp: code === '000000' ? '111111' : '000000' } });
    expect([wrong.status, wrong.json.code]).toEqual([400, 'E4005']);
    // A code for one number does not prove another.
    const other = await t.api('POST', '/beak/trust/elevate', { token: d.token, body: { phone: '+15555550100', otp: code } });
    expect(other.status).toBe(400);
    const ok = await t.api('POST', '/beak/trust/elevate', { token: d.token, body: { phone, otp: code } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ trust_tier: 'T2', cert_id: expect.stringMatching(/^cert_/) });
    expect(ok.json.cert_id).not.toBe(d.cert_id);
    const p = await t.api('GET', '/beak/profile', { token: d.token });
    expect(p.json).toMatchObject({ trust_tier: 'T2', phone, phone_verified: true, cert_id: ok.json.cert_id });
    const entries = await audit(t, d.token);
    const elevated = entries.find((e) => e.event_type === 'trust.elevated');
    expect(elevated?.detail).toMatchObject({ previous_tier: 'T1', trust_tier: 'T2', cert_id: ok.json.cert_id });
    expect(JSON.stringify(entries)).not.toContain(code);
    const old = await t.api('GET', `/beak/cert/verify?cert_id=${d.cert_id}`);
    expect(old.json).toMatchObject({ valid: false, status: 'superseded' });
  });

  it('needs T1 and a valid E.164 number', async () => {
    const p = await pending(t);
    const t0 = (await signin(t, p.email, p.password)).json.token;
    const low = await t.api('PUT', '/beak/trust/elevate', { token: t0, body: { phone: '+15555550100' } });
    expect([low.status, low.json.code]).toEqual([403, 'E4002']);
    const d = await t.hatch();
    for (const phone of ['5555550100', '+0123456789', '+1555', '+1234567890123456', 42]) {
      const r = await t.api('PUT', '/beak/trust/elevate', { token: d.token, body: { phone } });
      expect([r.status, r.json.code], String(phone)).toEqual([400, 'E4000']);
    }
    expect((await t.api('PUT', '/beak/trust/elevate', { body: { phone: '+15555550100' } })).status).toBe(401);
  });
});

describe('audit', () => {
  it('records sign-ins with IP and user agent and never a secret', async () => {
    const d = await t.hatch();
    await t.api('POST', '/beak/signin', { body: { email: d.email, password: d.password }, headers: { 'user-agent': 'duck-test/1.0' } });
    const entries = await audit(t, d.token);
    const ok = entries.find((e) => e.event_type === 'signin.succeeded');
    expect(ok).toMatchObject({ user_agent: 'duck-test/1.0', ip: expect.any(String), detail: { method: 'password' } });
    const text = JSON.stringify(entries);
    for (const secret of [d.password, d.beak_key, d.token]) expect(text).not.toContain(secret);
  });
});
