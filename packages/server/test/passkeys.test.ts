// Passkeys end to end: headless Chromium with a CDP virtual authenticator registers a passkey
// and signs in with it, from a page on the relying party's origin, against the real server on a
// real socket. Also: single-use and expiring challenges, the signature counter, management.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { isEnvelope, makeApp, type Hatched, type TestApp } from './harness.js';
import { audit, pending, signin } from './identity-helpers.js';

const PAGE = `<!doctype html><meta charset="utf-8"><title>passkey test</title><script>
const enc = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - s.length % 4) % 4)), (c) => c.charCodeAt(0));
async function api(path, body, token) {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) }, body: JSON.stringify(body ?? {}) });
  return { status: r.status, json: await r.json() };
}
window.registerPasskey = async (token) => {
  const o = await api('/beak/passkey/register', {}, token);
  if (o.status !== 200) return o;
  const opts = o.json.options;
  const cred = await navigator.credentials.create({ publicKey: {
    ...opts, challenge: dec(opts.challenge), user: { ...opts.user, id: dec(opts.user.id) },
    excludeCredentials: (opts.excludeCredentials || []).map((c) => ({ ...c, id: dec(c.id) })),
  } });
  const credential = {
    id: cred.id, rawId: enc(cred.rawId), type: cred.type, authenticatorAttachment: cred.authenticatorAttachment,
    clientExtensionResults: cred.getClientExtensionResults(),
    response: { clientDataJSON: enc(cred.response.clientDataJSON), attestationObject: enc(cred.response.attestationObject), transports: cred.response.getTransports() },
  };
  return api('/beak/passkey/register/verify', { credential, name: 'Virtual authenticator' }, token);
};
/** An assertion over a fresh login challenge, not yet submitted. */
window.assertion = async () => {
  const o = await api('/beak/passkey/login', {});
  const opts = o.json.options;
  const cred = await navigator.credentials.get({ publicKey: {
    ...opts, challenge: dec(opts.challenge), allowCredentials: (opts.allowCredentials || []).map((c) => ({ ...c, id: dec(c.id) })),
  } });
  return {
    id: cred.id, rawId: enc(cred.rawId), type: cred.type, authenticatorAttachment: cred.authenticatorAttachment,
    clientExtensionResults: cred.getClientExtensionResults(),
    response: {
      clientDataJSON: enc(cred.response.clientDataJSON), authenticatorData: enc(cred.response.authenticatorData),
      signature: enc(cred.response.signature), userHandle: cred.response.userHandle ? enc(cred.response.userHandle) : null,
    },
  };
};
window.submit = (credential) => api('/beak/passkey/login', { credential });
window.loginPasskey = async () => window.submit(await window.assertion());
</script><p>passkey test page</p>`;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let t: TestApp;
let browser: Browser;
let page: Page;
let cdp: CDPSession;
let authenticatorId: string;
let d: Hatched;
let origin: string;

beforeAll(async () => {
  const port = await freePort();
  origin = `http://localhost:${port}`;
  t = await makeApp({ SPACEDUCK_PUBLIC_URL: origin });
  await t.app.listen({ host: '127.0.0.1', port });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--host-resolver-rules=MAP localhost 127.0.0.1'],
  });
  page = await browser.newPage();
  // The test serves the page itself, on the relying party's origin; the API calls go to the server.
  await page.route(`${origin}/passkey-test.html`, (route) => route.fulfill({ contentType: 'text/html', body: PAGE }));
  cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  }));
  await page.goto(`${origin}/passkey-test.html`);
  d = await t.hatch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const signCount = async (): Promise<number> => {
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  return credentials[0]!.signCount;
};

describe('passkeys in a real browser', () => {
  let passkeyId: string;

  it('registers a passkey with the signed-in session', async () => {
    const r = await page.evaluate((token) => (window as any).registerPasskey(token), d.token);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ success: true, passkey_id: expect.stringMatching(/^pk_/), name: 'Virtual authenticator' });
    passkeyId = r.json.passkey_id;
    const list = await t.api('GET', '/beak/passkeys', { token: d.token });
    expect(list.json.passkeys).toHaveLength(1);
    expect(list.json.passkeys[0]).toMatchObject({ passkey_id: passkeyId, last_used_at: null, backed_up: false });
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);
    // The same authenticator cannot be registered twice (excludeCredentials).
    await expect(page.evaluate((token) => (window as any).registerPasskey(token), d.token)).rejects.toThrow(/InvalidStateError|excluded|already registered/i);
  });

  it('signs in with the passkey: the sign-in body, a working token, the counter stored', async () => {
    const r = await page.evaluate(() => (window as any).loginPasskey());
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ token_type: 'Bearer', duckling_id: d.duckling_id, email: d.email, trust_tier: 'T1', access_token: expect.stringMatching(/^eyJ/) });
    expect((await t.api('GET', '/beak/profile', { token: r.json.access_token })).json.duckling_id).toBe(d.duckling_id);
    const row = await t.app.deps.db.kysely.selectFrom('passkeys').select(['counter', 'last_used_at']).where('id', '=', passkeyId).executeTakeFirstOrThrow();
    expect(await signCount()).toBeGreaterThan(0);
    expect(Number(row.counter)).toBe(await signCount());
    expect(row.last_used_at).not.toBeNull();
    const entries = await audit(t, r.json.access_token);
    expect(entries.find((e) => e.event_type === 'signin.succeeded')?.detail).toMatchObject({ method: 'passkey' });
    expect(entries.some((e) => e.event_type === 'passkey.registered')).toBe(true);
  });

  it('challenges are single-use, and an assertion whose counter did not advance is refused', async () => {
    const older = await page.evaluate(() => (window as any).assertion());
    const newer = await page.evaluate(() => (window as any).assertion());
    const ok = await page.evaluate((c) => (window as any).submit(c), newer);
    expect(ok.status).toBe(200);
    const replay = await page.evaluate((c) => (window as any).submit(c), newer);
    expect([replay.status, replay.json.code]).toEqual([401, 'E4001']);
    // `older` has its own unused challenge, but was signed with a lower counter: a clone's signature.
    const stale = await page.evaluate((c) => (window as any).submit(c), older);
    expect([stale.status, stale.json.code]).toEqual([401, 'E4001']);
    await t.app.deps.identity.drain(); // failures are audited after their response
    const failed = (await audit(t, ok.json.token)).filter((e) => e.event_type === 'signin.failed');
    expect(failed[0]?.detail).toMatchObject({ method: 'passkey' });
  });

  it('a challenge expires after 5 minutes', async () => {
    const a = await page.evaluate(() => (window as any).assertion());
    t.clock.advance(5 * 60_000 + 1);
    const late = await page.evaluate((c) => (window as any).submit(c), a);
    expect([late.status, late.json.code]).toEqual([400, 'E4006']);
    const again = await page.evaluate((c) => (window as any).submit(c), a);
    expect(again.status).toBe(401);
    d.token = (await signin(t, d.email, d.password)).json.token; // keep a fresh session for what follows
  });

  it('registration needs a session of a verified duckling and a genuine response', async () => {
    expect((await t.api('POST', '/beak/passkey/register')).status).toBe(401);
    const byKey = await t.api('POST', '/beak/passkey/register', { headers: { 'x-beak-key': d.beak_key } });
    expect([byKey.status, byKey.json.code]).toEqual([403, 'E4030']);
    const p = await pending(t);
    const t0 = (await signin(t, p.email, p.password)).json.token;
    const low = await t.api('POST', '/beak/passkey/register', { token: t0 });
    expect([low.status, low.json.code]).toEqual([403, 'E4002']);

    const opts = await t.api('POST', '/beak/passkey/register', { token: d.token });
    expect(opts.json.options).toMatchObject({ rp: { id: 'localhost', name: 'Space Duck' }, authenticatorSelection: { residentKey: 'required', userVerification: 'required' } });
    const forged = {
      id: 'AAAA', rawId: 'AAAA', type: 'public-key',
      response: { clientDataJSON: Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: opts.json.options.challenge, origin })).toString('base64url'), attestationObject: 'AAAA' },
      clientExtensionResults: {},
    };
    const bad = await t.api('POST', '/beak/passkey/register/verify', { token: d.token, body: { credential: forged } });
    expect([bad.status, bad.json.code]).toEqual([400, 'E4000']);
    // That challenge is spent now, even though the attempt failed.
    const spent = await t.api('POST', '/beak/passkey/register/verify', { token: d.token, body: { credential: forged } });
    expect(spent.json.message).toMatch(/challenge/i);
    const malformed = await t.api('POST', '/beak/passkey/login', { body: { credential: { id: 1 } } });
    expect(isEnvelope(malformed, 'E4000')).toBe(true);
  });

  it('a deleted passkey no longer signs in', async () => {
    const del = await t.api('DELETE', `/beak/passkeys/${passkeyId}`, { token: d.token });
    expect(del.status).toBe(200);
    expect(del.json).toEqual({ success: true, passkey_id: passkeyId, status: 'deleted' });
    expect((await t.api('DELETE', `/beak/passkeys/${passkeyId}`, { token: d.token })).status).toBe(404);
    expect((await t.api('GET', '/beak/passkeys', { token: d.token })).json.passkeys).toEqual([]);
    const r = await page.evaluate(() => (window as any).loginPasskey());
    expect([r.status, r.json.code]).toEqual([401, 'E4001']);
  });
});
