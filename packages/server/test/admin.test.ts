// Administration (CONTRACT §12) over HTTP and from the command line: the admin token, duckling
// search, tiers (the only way to T3), suspension, waitlist export, support tickets, signing-key
// rotation and the purge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import * as jose from 'jose';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { TEST_DATABASE_URL, isEnvelope, makeApp, uniq, type TestApp } from './harness.js';
import { adminCli } from '../src/admin/cli.js';
import { audit, newEmail, pending, signin } from './identity-helpers.js';

const CLI = path.resolve(__dirname, '../dist/cli.js');
const ADMIN = `adm_${crypto.randomBytes(24).toString('base64url')}`;
const DAY = 86_400_000;

let t: TestApp;
beforeAll(async () => { t = await makeApp({ SPACEDUCK_ADMIN_TOKEN: ADMIN }); });
afterAll(async () => { await t?.close(); });

const admin = (method: string, url: string, body?: unknown) => t.api(method, url, { token: ADMIN, body });

describe('the administrator credential', () => {
  it('every admin route wants the token; user credentials and wrong tokens are 401', async () => {
    const d = await t.hatch();
    for (const headers of [{}, { authorization: `Bearer ${ADMIN}x` }, { authorization: `Bearer ${d.token}` }, { 'x-beak-key': d.beak_key }]) {
      const r = await t.api('GET', '/beak/admin/ducklings', { headers });
      expect([r.status, r.json.code]).toEqual([401, 'E4001']);
    }
    // Checked before the body is even parsed.
    const early = await t.api('POST', `/beak/admin/ducklings/${d.duckling_id}/tier`, { raw: '{not json' });
    expect(early.status).toBe(401);
    // The admin token is not a user credential.
    expect((await t.api('GET', '/beak/profile', { token: ADMIN })).status).toBe(401);
  });

  it('without SPACEDUCK_ADMIN_TOKEN the admin API does not exist', async () => {
    const off = await makeApp();
    try {
      const r = await off.api('GET', '/beak/admin/ducklings', { token: ADMIN });
      expect([r.status, r.json.code]).toEqual([404, 'E4040']);
    } finally { await off.close(); }
  });
});

describe('ducklings', () => {
  it('search with keyset pagination, filters and literal wildcards', async () => {
    const tag = uniq('Adm');
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await t.hatch({ display_name: `${tag} ${i}` }));
    const p = await pending(t, { display_name: `${tag} pending` });
    const first = await admin('GET', `/beak/admin/ducklings?q=${tag.toLowerCase()}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.json.ducklings.map((x: { duckling_id: string }) => x.duckling_id)).toEqual([p.duckling_id, made[2]!.duckling_id]);
    const second = await admin('GET', `/beak/admin/ducklings?q=${tag}&limit=2&cursor=${first.json.next_cursor}`);
    expect(second.json.ducklings.map((x: { duckling_id: string }) => x.duckling_id)).toEqual([made[1]!.duckling_id, made[0]!.duckling_id]);
    expect(second.json.next_cursor).toBeNull();
    const unverified = await admin('GET', `/beak/admin/ducklings?q=${tag}&verified=false`);
    expect(unverified.json.ducklings).toHaveLength(1);
    expect(unverified.json.ducklings[0]).toMatchObject({ duckling_id: p.duckling_id, trust_tier: 'T0', email_verified: false, status: 'active' });
    expect((await admin('GET', `/beak/admin/ducklings?q=${encodeURIComponent(made[0]!.email)}`)).json.ducklings).toHaveLength(1);
    expect((await admin('GET', `/beak/admin/ducklings?q=${made[0]!.duckling_id}`)).json.ducklings).toHaveLength(1);
    expect((await admin('GET', '/beak/admin/ducklings?q=%25%25')).json.ducklings).toEqual([]);
    expect((await admin('GET', '/beak/admin/ducklings?cursor=@@@')).status).toBe(400);
    expect((await admin('GET', '/beak/admin/ducklings?tier=T9')).status).toBe(400);

    const one = await admin('GET', `/beak/admin/ducklings/${made[0]!.duckling_id}`);
    expect(one.json).toMatchObject({ duckling_id: made[0]!.duckling_id, cert_id: made[0]!.cert_id, cert_status: 'valid', egg_count: 0, active_sessions: 1, passkeys: 0 });
    expect((await admin('GET', '/beak/admin/ducklings/dk_nope')).status).toBe(404);
  });

  it('sets tiers: T3 only this way, a new certificate each time, audited', async () => {
    const d = await t.hatch();
    const r = await admin('POST', `/beak/admin/ducklings/${d.duckling_id}/tier`, { tier: 'T3' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ duckling_id: d.duckling_id, previous_tier: 'T1', trust_tier: 'T3' });
    expect(r.json.cert_id).not.toBe(d.cert_id);
    const p = await t.api('GET', '/beak/profile', { token: d.token });
    expect(p.json).toMatchObject({ trust_tier: 'T3', cert_id: r.json.cert_id, cert_status: 'valid' });
    const elevated = (await audit(t, d.token)).find((e) => e.event_type === 'trust.elevated');
    expect(elevated).toMatchObject({ actor_id: 'admin', detail: { previous_tier: 'T1', trust_tier: 'T3', reason: 'admin' } });

    const down = await t.api('PUT', `/beak/admin/ducklings/${d.duckling_id}/tier`, { token: ADMIN, body: { tier: 'T2' } });
    expect(down.json).toMatchObject({ previous_tier: 'T3', trust_tier: 'T2' });
    expect((await audit(t, d.token)).some((e) => e.event_type === 'trust.lowered')).toBe(true);
    const same = await admin('POST', `/beak/admin/ducklings/${d.duckling_id}/tier`, { tier: 'T2' });
    expect(same.json.cert_id).toBe(down.json.cert_id);

    expect((await admin('POST', `/beak/admin/ducklings/${d.duckling_id}/tier`, { tier: 'T0' })).status).toBe(400);
    expect((await admin('POST', '/beak/admin/ducklings/dk_nope/tier', { tier: 'T3' })).status).toBe(404);
    const p0 = await pending(t);
    const unverified = await admin('POST', `/beak/admin/ducklings/${p0.duckling_id}/tier`, { tier: 'T3' });
    expect([unverified.status, unverified.json.code]).toEqual([409, 'E4090']);
  });

  it('suspension stops sessions and keys at once; lifting it restores keys but not the revoked sessions', async () => {
    const d = await t.hatch();
    const s = await admin('POST', `/beak/admin/ducklings/${d.duckling_id}/suspend`, { reason: 'abuse report' });
    expect(s.json).toMatchObject({ status: 'suspended', suspend_reason: 'abuse report', suspended_at: expect.any(String) });
    expect((await t.api('GET', '/beak/profile', { token: d.token })).status).toBe(401);
    expect((await t.api('GET', '/beak/profile', { headers: { 'x-beak-key': d.beak_key } })).status).toBe(401);
    const blocked = await signin(t, d.email, d.password);
    expect([blocked.status, blocked.json.code]).toEqual([403, 'E4030']);
    expect((await signin(t, d.email, 'not the password')).status).toBe(401);
    const st = await t.api('POST', '/beak/status', { token: ADMIN, body: { email: d.email } });
    expect(st.json).toMatchObject({ duckling_id: d.duckling_id, status: 'suspended' });
    const cert = await t.api('GET', `/beak/cert/verify?cert_id=${d.cert_id}`);
    expect(cert.json).toMatchObject({ valid: false, status: 'revoked', reason: 'account_suspended' });

    const u = await admin('POST', `/beak/admin/ducklings/${d.duckling_id}/unsuspend`);
    expect(u.json).toMatchObject({ status: 'active', suspended_at: null });
    expect((await t.api('GET', '/beak/profile', { token: d.token })).status).toBe(401);
    expect((await t.api('GET', '/beak/profile', { headers: { 'x-beak-key': d.beak_key } })).status).toBe(200);
    const back = await signin(t, d.email, d.password);
    expect(back.status).toBe(200);
    const reissued = await t.api('POST', '/beak/cert/issue', { token: back.json.token });
    expect(reissued.json.cert_id).not.toBe(d.cert_id);
    expect((await t.api('GET', `/beak/cert/verify?cert_id=${reissued.json.cert_id}`)).json.valid).toBe(true);
    const types = (await audit(t, back.json.token)).map((e) => e.event_type);
    expect(types).toEqual(expect.arrayContaining(['duckling.suspended', 'duckling.unsuspended']));
  });

  it('a peck whose requester is suspended cannot be approved, not even with its code', async () => {
    const a = await t.hatch(), b = await t.hatch();
    const p = await t.api('POST', '/beak/peck', { token: a.token, body: { target_email: b.email, purpose: 'before the suspension' } });
    expect(p.status).toBe(200);
    const code = await t.otp(b.email);
    await admin('POST', `/beak/admin/ducklings/${a.duckling_id}/suspend`, { reason: 'abuse report' });
    const r = await t.api('POST', '/beak/peck/approve', { body: { peck_id: p.json.peck_id, otp: code } });
    expect([r.status, r.json.code]).toEqual([409, 'E4090']);
    const hist = await t.api('GET', '/beak/peck/history?direction=received', { token: b.token });
    expect(hist.json.pecks.find((x: { peck_id: string }) => x.peck_id === p.json.peck_id)?.status).toBe('pending');
    expect((await t.api('GET', '/beak/connections', { token: b.token })).json.connections).toHaveLength(0);
  });

  it('administrators see any account status', async () => {
    const d = await t.hatch();
    const r = await t.api('GET', `/beak/status?duckling_id=${d.duckling_id}`, { token: ADMIN });
    expect(r.json).toMatchObject({ email: d.email, trust_tier: 'T1', email_verified: true });
    expect((await t.api('POST', '/beak/status', { token: ADMIN, body: { email: newEmail('ghost') } })).json.status).toBe('not_found');
  });
});

describe('waitlist and support', () => {
  it('exports newsletter sign-ups as paged JSON and as CSV with formulas defused', async () => {
    const a = `a+${uniq('n')}@example.com`;
    const b = `b${uniq('n')}@example.com`;
    await t.api('POST', '/beak/newsletter/subscribe', { body: { email: a, partner_type: '=HYPERLINK("x")' } });
    await t.api('POST', '/beak/newsletter/subscribe', { body: { email: b } });
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await admin('GET', `/beak/admin/newsletter?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.json.subscribers.length).toBeLessThanOrEqual(1);
      all.push(...r.json.subscribers.map((s: { email: string }) => s.email));
      cursor = r.json.next_cursor;
    } while (cursor);
    expect(all).toEqual(expect.arrayContaining([a, b]));
    expect(new Set(all).size).toBe(all.length);
    const csv = await admin('GET', '/beak/admin/newsletter.csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('email,partner_type,subscribed_at');
    expect(lines).toContain(`"${a}","'=HYPERLINK(""x"")","${new Date(t.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z')}"`);
  });

  it('reads support tickets', async () => {
    const c = await t.api('POST', '/beak/support/contact', { body: { email: 'help@example.com', subject: 'Eggs', message: 'My duck will not hatch.' } });
    const list = await admin('GET', '/beak/admin/support/tickets?limit=5');
    expect(list.json.tickets[0]).toMatchObject({ ticket_id: c.json.ticket_id, email: 'help@example.com', subject: 'Eggs', message: 'My duck will not hatch.' });
    expect((await admin('GET', `/beak/admin/support/tickets/${c.json.ticket_id}`)).json.ticket_id).toBe(c.json.ticket_id);
    expect((await admin('GET', '/beak/admin/support/tickets/tkt_nope')).status).toBe(404);
  });
});

describe('signing-key rotation', () => {
  it('old tokens verify until they expire, and the JWKS keeps the old key', async () => {
    const d = await t.hatch();
    const oldKid = jose.decodeProtectedHeader(d.token).kid;
    const r = await admin('POST', '/beak/admin/signing-keys/rotate');
    expect(r.json).toMatchObject({ previous_kid: oldKid, kid: expect.any(String) });
    expect(r.json.kid).not.toBe(oldKid);

    const jwks = (await t.api('GET', '/.well-known/jwks.json')).json;
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual(expect.arrayContaining([oldKid, r.json.kid]));
    await jose.jwtVerify(d.token, jose.createLocalJWKSet(jwks), { currentDate: new Date(t.clock.now()) });
    expect((await t.api('GET', '/beak/profile', { token: d.token })).status).toBe(200);
    const fresh = await signin(t, d.email, d.password);
    expect(jose.decodeProtectedHeader(fresh.json.token).kid).toBe(r.json.kid);
    const keys = await admin('GET', '/beak/admin/signing-keys');
    expect(keys.json.keys.find((k: { kid: string }) => k.kid === oldKid)).toMatchObject({ active: false, retired_at: expect.any(String) });

    t.clock.advance(DAY + 1000);
    expect((await t.api('GET', '/beak/profile', { token: d.token })).status).toBe(401);
    const later = (await t.api('GET', '/.well-known/jwks.json')).json;
    // Birth certificates signed with it never expire, so the key stays published.
    expect(later.keys.map((k: { kid: string }) => k.kid)).toContain(oldKid);
  });
});

describe('purge', () => {
  it('purges unverified accounts older than 24 h on demand', async () => {
    await admin('POST', '/beak/admin/purge-unverified'); // leftovers of earlier tests, whose clock moved
    const p = await pending(t);
    expect((await admin('POST', '/beak/admin/purge-unverified')).json.purged).toBe(0);
    t.clock.advance(DAY + 1);
    const r = await admin('POST', '/beak/admin/purge-unverified');
    expect(r.json.purged).toBeGreaterThanOrEqual(1);
    expect((await admin('GET', `/beak/admin/ducklings/${p.duckling_id}`)).status).toBe(404);
  });
});

describe('spaceduck admin (command line)', () => {
  const run = async (...args: string[]) => {
    let out = '';
    let err = '';
    const code = await adminCli(t.config, args, { clock: t.clock, schema: t.schema }, { out: (s) => { out += s; }, err: (s) => { err += s; } });
    return { code, out, err };
  };

  it('set-tier <email> <tier> grants T3 against the same database', async () => {
    const d = await t.hatch();
    const r = await run('set-tier', d.email.toUpperCase(), 't3');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ duckling_id: d.duckling_id, trust_tier: 'T3', previous_tier: 'T1' });
    expect((await t.api('GET', '/beak/profile', { token: d.token })).json.trust_tier).toBe('T3');

    const susp = await run('suspend', d.email, 'testing');
    expect([susp.code, JSON.parse(susp.out).status]).toEqual([0, 'suspended']);
    expect((await t.api('GET', '/beak/profile', { headers: { 'x-beak-key': d.beak_key } })).status).toBe(401);
    expect((await run('unsuspend', d.email)).code).toBe(0);
    expect((await t.api('GET', '/beak/profile', { headers: { 'x-beak-key': d.beak_key } })).status).toBe(200);
  });

  // As from a shell: another process on the same SQLite file, while this server remembers the key
  // (src/db/watched-cache.ts). Once the command has returned, the key is refused — no waiting.
  // (The command waits out FOREIGN_CHECK_MS before returning; a process exit alone takes about
  // as long here, so this shows the path end to end rather than that wait.)
  it.skipIf(!!TEST_DATABASE_URL)('suspend from another process: refused as soon as the command returns', async () => {
    const d = await t.hatch();
    const key = { headers: { 'x-beak-key': d.beak_key } };
    expect((await t.api('GET', '/beak/profile', key)).status).toBe(200);
    const shell = (...args: string[]) => new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'admin', ...args], {
        env: { PATH: process.env.PATH ?? '', SPACEDUCK_ENV: 'test', SPACEDUCK_DATA_DIR: t.config.dataDir, LOG_LEVEL: 'silent' },
        stdio: 'ignore',
      });
      child.on('close', resolve);
    });
    expect(await shell('suspend', d.email, 'from a shell')).toBe(0);
    expect((await t.api('GET', '/beak/profile', key)).status).toBe(401);
    expect(await shell('unsuspend', d.email)).toBe(0);
    expect((await t.api('GET', '/beak/profile', key)).status).toBe(200);
  });

  it('refuses bad usage (2) and unknown accounts (1)', async () => {
    expect((await run('set-tier', 'x@example.com')).code).toBe(2);
    expect((await run('set-tier', 'x@example.com', 'T9')).code).toBe(2);
    expect((await run('explode')).code).toBe(2);
    const unknown = await run('set-tier', newEmail('ghost'), 'T2');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/not found/i);
  });
});

describe('envelope', () => {
  it('bad admin input is the error envelope', async () => {
    const r = await admin('POST', '/beak/admin/ducklings/dk_x/tier', { tier: 5 });
    expect(isEnvelope(r, 'E4000')).toBe(true);
  });
});
