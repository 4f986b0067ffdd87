// @spaceduck/sdk over a real socket: against the real server for every helper, and against
// small scripted servers for what a healthy server will not do on demand (429/503, stalls, drops).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import {
  SpaceDuck, verifyCertificate, verifyWebhook, AuthenticationError, ValidationError, NotFoundError, RateLimitError,
  ServerError, NetworkError, TimeoutError, OtpError, WebhookVerificationError, type RetryInfo,
} from '../../sdk/src/index.js';
import { uniq } from './harness.js';
import { liveApp, scripted, envelope, eventually, type LiveApp } from './sdk-helpers.js';

const fast = { retryBaseDelayMs: 5, retryMaxDelayMs: 20 };

describe('transport: retries, timeouts, typed errors', () => {
  it('retries a 429 after its Retry-After, reusing the idempotency key', async () => {
    const s = await scripted((n) => (n === 1 ? [429, { 'retry-after': '1' }, envelope(429, 'E4004', 'RATE_LIMITED', 'Too many requests')] : [200, {}, '{"peck_id":"peck_1"}']));
    const retries: RetryInfo[] = [];
    const duck = new SpaceDuck({ baseUrl: s.url, beakKey: 'bk_test', onRetry: (r) => retries.push(r) });
    const r = await duck.pecks.send({ target_email: 'x@example.com' });
    expect(r.peck_id).toBe('peck_1');
    expect(s.hits).toHaveLength(2);
    expect(s.hits[1]!.at - s.hits[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(retries).toMatchObject([{ attempt: 1, reason: 429 }]);
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(1000);
    const key = s.hits[0]!.headers['idempotency-key'];
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(s.hits[1]!.headers['idempotency-key']).toBe(key);
    expect(s.hits[0]!.headers.authorization).toBe('Bearer bk_test');
    await s.close();
  });

  it('backs off on 503, gives up after maxRetries with a typed error', async () => {
    const s = await scripted(() => [503, {}, envelope(503, 'E5030', 'UNAVAILABLE', 'database down')]);
    const duck = new SpaceDuck({ baseUrl: s.url, maxRetries: 2, ...fast });
    const err = await duck.about().catch((e) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ status: 503, code: 'E5030', requestId: 'req_503' });
    expect(s.hits).toHaveLength(3);
    await s.close();
  });

  it('does not sleep through a Retry-After longer than maxRetryAfterMs', async () => {
    const s = await scripted(() => [429, { 'retry-after': '120' }, envelope(429, 'E4004', 'RATE_LIMITED', 'slow down')]);
    const err = await new SpaceDuck({ baseUrl: s.url }).about().catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(120_000);
    expect(s.hits).toHaveLength(1);
    await s.close();
  });

  it('retries a dropped connection only when repeating is safe', async () => {
    const s = await scripted((n) => (n === 1 || n === 3 ? 'drop' : [200, {}, '{"ok":true}']));
    const duck = new SpaceDuck({ baseUrl: s.url, ...fast });
    expect(await duck.call('get', '/beak/anything')).toEqual({ ok: true }); // GET: retried
    expect(s.hits).toHaveLength(2);
    // A rotation whose answer was lost must not run twice: the first may have rotated the key.
    await expect(duck.keys.rotate()).rejects.toBeInstanceOf(NetworkError);
    expect(s.hits).toHaveLength(3);
    await s.close();
  });

  it('times out a stalled request', async () => {
    const s = await scripted(() => 'stall');
    const started = Date.now();
    const err = await new SpaceDuck({ baseUrl: s.url, timeoutMs: 200, maxRetries: 0 }).about().catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
    await s.close();
  });

  it('uses an injected fetch', async () => {
    const seen: string[] = [];
    const duck = new SpaceDuck({
      baseUrl: 'https://duck.invalid/', fetch: async (url, init) => { seen.push(`${init.method} ${url}`); return new Response('{"service":"spaceduck"}', { status: 200 }); },
    });
    expect(await duck.about()).toEqual({ service: 'spaceduck' });
    expect(seen).toEqual(['GET https://duck.invalid/beak/']);
  });
});

describe('helpers against the real server', () => {
  let t: LiveApp;
  beforeAll(async () => { t = await liveApp(); });
  afterAll(async () => { await t.close(); });

  const hatched = async () => {
    const duck = new SpaceDuck({ baseUrl: t.url });
    const email = `${uniq('sdk')}@example.com`;
    const h = await duck.hatch({ email, password: 'correct horse battery staple' });
    expect(h).toMatchObject({ email, trust_tier: 'T0' });
    const v = await duck.verify({ email, code: (await t.otp(email))! });
    return { duck, email, v };
  };

  it('hatch + verify, sign-in with password and with an emailed code, sign-out, typed errors', async () => {
    const { duck, email, v } = await hatched();
    expect(v).toMatchObject({ trust_tier: 'T1', email });
    expect(v.beak_key).toMatch(/^bk_/);
    expect(duck.credential).toBe(v.access_token);
    expect((await duck.profile()).duckling_id).toBe(v.duckling_id);

    const other = new SpaceDuck({ baseUrl: t.url });
    const s = await other.signIn({ email, password: 'correct horse battery staple' });
    expect(s?.duckling_id).toBe(v.duckling_id);
    expect(await other.signIn({ email })).toBeNull(); // emails a code
    const wrong = await other.signIn({ email, code: '000000' }).catch((e) => e);
    expect(wrong).toBeInstanceOf(AuthenticationError);
    const byCode = await other.signIn({ email, code: (await t.otp(email))! });
    expect(byCode?.access_token).toBeTruthy();

    const token = other.credential!;
    await other.signOut();
    const after = await new SpaceDuck({ baseUrl: t.url, token }).profile().catch((e) => e);
    expect(after).toBeInstanceOf(AuthenticationError);
    expect(after).toMatchObject({ status: 401, code: 'E4001', error: 'UNAUTHORIZED' });
    expect(after.requestId).toMatch(/\S/);

    const invalid = await duck.hatch({ email: 'not-an-email' }).catch((e) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid.code).toBe('E4000');
    expect(await duck.verify({ email: `${uniq('n')}@example.com`, code: '123456' }).catch((e) => e)).toBeInstanceOf(OtpError);

    const sso = await duck.sso.issue({ target_domain: 'duckcontrol.com', scope: 'read' });
    expect(await new SpaceDuck({ baseUrl: t.url }).sso.verify(sso.sso_token)).toMatchObject({ valid: true, duckling_id: v.duckling_id });
    expect((await duck.sso.verify(sso.sso_token)).valid).toBe(false);
  });

  it('agents, startPulse (terminating on stop), key rotation that returns and adopts the new key', async () => {
    const { duck } = await hatched();
    const ag = await duck.agents.register({ agent_name: 'SdkBot', capabilities: ['query'] });
    expect(ag.beak_key).toMatch(/^bk_/);
    const changes: string[] = [];
    const bot = new SpaceDuck({ baseUrl: t.url, beakKey: ag.beak_key, onCredentialChange: (c) => changes.push(c.value) });
    expect((await bot.agents.bond({ agent_id: ag.agent_id, handshake_token: ag.handshake_token })).status).toBe('bonded');

    const beats: string[] = [];
    const pulse = bot.startPulse({ intervalMs: 30, meta: () => ({ agent_version: '1.0.0' }), onPulse: (r) => beats.push(r.liveness) });
    await eventually(() => beats.length >= 2, 10_000, 'two pulses');
    const last = await pulse.stop();
    expect(await pulse.stop()).toBe(last);
    expect(last.liveness).toBe('terminated');
    expect(beats.every((l) => l === 'active')).toBe(true);
    const listed = (await duck.agents.list()).agents.find((a) => a.agent_id === ag.agent_id)!;
    expect(listed).toMatchObject({ liveness: 'terminated', meta: { agent_version: '1.0.0' } });

    const old = bot.credential!;
    const fresh = await bot.rotateKey();
    expect(fresh).toMatch(/^bk_/);
    expect(fresh).not.toBe(old);
    expect(bot.credential).toBe(fresh);
    expect(changes).toEqual([fresh]);
    expect((await bot.pulse()).status).toBe('ok');
    expect(await new SpaceDuck({ baseUrl: t.url, beakKey: old }).pulse().catch((e) => e)).toBeInstanceOf(AuthenticationError);

    // An operator rotating its agent's key gets the new key and keeps its own credential.
    const opCredential = duck.credential;
    const r = await duck.keys.rotate({ agent_id: ag.agent_id });
    expect(r.new_beak_key).toBe(r.beak_key);
    expect(duck.credential).toBe(opCredential);
    expect((await duck.keys.list()).keys.some((k) => k.owner_id === ag.agent_id && k.status === 'active')).toBe(true);
    expect((await duck.agents.deregister(ag.agent_id)).status).toBe('deregistered');
  });

  it('peck, approve and deny', async () => {
    const a = await hatched();
    const b = await hatched();
    const c = await hatched();
    const sent = await a.duck.pecks.send({ target_email: b.email, purpose: 'Agent fleet coordination' });
    expect(sent).toMatchObject({ status: 'pending', target_id: b.v.duckling_id });
    expect((await b.duck.pecks.pending()).pecks.map((p) => p.peck_id)).toContain(sent.peck_id);
    const ok = await b.duck.pecks.approve({ peck_id: sent.peck_id });
    expect(ok).toMatchObject({ approved: true, status: 'bonded', requester_id: a.v.duckling_id });
    expect((await a.duck.pecks.connections()).connections.map((x) => x.peer_id)).toContain(b.v.duckling_id);

    const second = await c.duck.pecks.send({ target_duckling_id: b.v.duckling_id, purpose: 'hello' });
    const no = await b.duck.pecks.deny({ peck_id: second.peck_id, reason: 'not now' });
    expect(no).toMatchObject({ denied: true, status: 'rejected', reason: 'not now' });
    const history = await c.duck.pecks.history({ direction: 'sent' });
    expect(history.pecks.find((p) => p.peck_id === second.peck_id)?.status).toBe('rejected');
    const unknown = await b.duck.pecks.approve({ peck_id: 'peck_01ZZZZZZZZZZZZZZZZZZZZZZZZ' }).catch((e) => e);
    expect(unknown).toBeInstanceOf(NotFoundError);
  });

  it('verifies a certificate offline: valid, tampered, wrong issuer, then revoked', async () => {
    const { duck, v } = await hatched();
    const online = await duck.certs.verify(v.cert_id);
    expect(online.valid).toBe(true);
    const jws = online.credential!;
    const jwks = await duck.jwks();
    const statusList = await duck.certs.statusList();

    const ok = await verifyCertificate(jws, { jwks, statusList, issuer: 'http://localhost:8080' });
    expect(ok).toMatchObject({ valid: true, status: 'valid', cert_id: v.cert_id, duckling_id: v.duckling_id, trust_tier: 'T1' });

    const [h, p, s] = jws.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'dk_someone_else' })).toString('base64url');
    expect(await verifyCertificate(`${h}.${forged}.${s}`, { jwks, statusList })).toMatchObject({ valid: false, status: 'invalid' });
    expect(await verifyCertificate(jws, { jwks, statusList, issuer: 'https://evil.example' })).toMatchObject({ valid: false, status: 'invalid' });
    expect(await verifyCertificate(jws, { jwks: { keys: [] }, statusList })).toMatchObject({ valid: false });

    await duck.certs.revoke('key compromise');
    const revoked = await duck.certs.verifyOffline(jws);
    expect(revoked).toMatchObject({ valid: false, status: 'revoked' });
    // The old list still says valid: a cached list is as fresh as it is, no fresher.
    expect((await verifyCertificate(jws, { jwks, statusList })).valid).toBe(true);
    expect(await duck.certs.verify('cert_01ZZZZZZZZZZZZZZZZZZZZZZZZ')).toMatchObject({ valid: false, status: 'not_found' });
  });

  it('verifies webhooks signed by the standardwebhooks library and by the server', async () => {
    const secret = `whsec_${Buffer.from('a very secret webhook signing key').toString('base64')}`;
    const body = JSON.stringify({ id: 'evt_1', type: 'peck.sent', created_at: '2026-11-23T12:00:00Z', data: { peck_id: 'peck_1' } });
    const now = new Date();
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign('evt_1', now, body) };
    expect((await verifyWebhook(body, headers, secret)).type).toBe('peck.sent');
    expect((await verifyWebhook(new TextEncoder().encode(body), new Headers(headers), secret)).id).toBe('evt_1');
    await expect(verifyWebhook(body.replace('peck_1', 'peck_2'), headers, secret)).rejects.toBeInstanceOf(WebhookVerificationError);
    await expect(verifyWebhook(body, headers, `whsec_${Buffer.from('another key').toString('base64')}`)).rejects.toThrow(/No matching signature/);
    await expect(verifyWebhook(body, headers, secret, { now: now.getTime() + 600_000 })).rejects.toThrow(/too old/);

    // A real delivery: the server's tester posts a signed sample event to a local receiver.
    const { duck } = await hatched();
    let got: { body: string; headers: http.IncomingHttpHeaders } | undefined;
    const receiver = http.createServer((req, res) => {
      let b = ''; req.on('data', (d) => { b += d; }); req.on('end', () => { got = { body: b, headers: req.headers }; res.end('ok'); });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const wh = await duck.webhooks.create({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ['*'] });
    const attempt = await duck.webhooks.test(wh.webhook_id, 'peck.sent');
    expect(attempt.ok).toBe(true);
    const event = await verifyWebhook(got!.body, got!.headers as Record<string, string>, wh.secret, { now: t.clock.now() });
    expect(event.type).toBe('peck.sent');
    await expect(verifyWebhook(got!.body, got!.headers as Record<string, string>, (await duck.webhooks.rotateSecret(wh.webhook_id, { overlap_seconds: 0 })).secret, { now: t.clock.now() }))
      .rejects.toBeInstanceOf(WebhookVerificationError);
    receiver.close();
  });
});
