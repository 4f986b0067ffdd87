// Webhooks (CONTRACT §8) against a real HTTP receiver on loopback: endpoints, the outbox,
// signing, retries, disabling, replay, recovery, the tester and the SSRF guard.
import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { ManualClock, systemClock } from '../src/kernel/clock.js';
import { WEBHOOK_EVENTS } from '../src/webhooks/catalog.js';
import { isForbiddenAddress } from '../src/webhooks/ssrf.js';
import { isEnvelope, makeApp, TEST_DATABASE_URL, type Hatched, type TestApp } from './harness.js';
import { startReceiver, until, type Receiver, type Received } from './webhooks-helpers.js';

const ENV = { SPACEDUCK_WEBHOOK_ALLOW_PRIVATE: 'true', SPACEDUCK_WEBHOOK_RETRY_SCHEDULE: '1,1,1' };

let t: TestApp;
let rcv: Receiver;

beforeAll(async () => {
  // The clock starts at real time so receivers' timestamp tolerance (5 min) accepts our headers.
  t = await makeApp(ENV, { clock: new ManualClock(Date.now()) });
  rcv = await startReceiver();
});
afterAll(async () => { await rcv?.close(); await t?.close(); });
afterEach(() => {
  rcv.answer = () => ({});
  t.app.deps.webhooks.worker.timeoutMs = 15_000;
  t.clock.set(Date.now());
});

const svc = () => t.app.deps.webhooks;
const keyOf = (secret: string) => Buffer.from(secret.slice('whsec_'.length), 'base64');

async function hook(who: Hatched, events: string[], path = `/${crypto.randomBytes(4).toString('hex')}`) {
  const r = await t.api('POST', '/beak/webhooks', { token: who.token, body: { url: `${rcv.url}${path}`, events } });
  expect(r.status, r.text).toBe(200);
  return { ...r.json as { webhook_id: string; secret: string; events: string[] }, path };
}

async function emit(type: string, ducklingId: string | null, data: Record<string, unknown> = { n: 1 }) {
  const { db, events } = t.app.deps;
  return db.kysely.transaction().execute((tx) => events.record(tx, { type, ducklingId, actorId: ducklingId, data }));
}

/** Runs delivery passes until nothing is due. */
async function drain() {
  let n = 0;
  for (let i = 0; i < 50; i++) {
    const k = await svc().tick();
    if (!k) return n;
    n += k;
  }
  throw new Error('deliveries keep coming');
}

function plainHmacOk(secret: string, g: Received): boolean {
  const key = keyOf(secret);
  const expected = crypto.createHmac('sha256', key).update(`${g.id}.${g.headers['webhook-timestamp']}.${g.body}`).digest('base64');
  const sigs = String(g.headers['webhook-signature']).split(' ').map((s) => s.split(',')[1]);
  return sigs.includes(expected) && g.headers['x-spaceduck-signature'] === `sha256=${crypto.createHmac('sha256', key).update(g.body).digest('hex')}`;
}

const swVerify = (secret: string, g: Received) => new Webhook(secret).verify(g.body, g.headers as Record<string, string>);

describe('webhook endpoints', () => {
  it('creates with a whsec_ secret shown once, normalises aliases, lists, reads, updates and deletes', async () => {
    const who = await t.hatch();
    const r = await t.api('POST', '/beak/webhooks', { token: who.token, body: { url: `${rcv.url}/crud#frag`, events: ['cert_issued', 'hatch', 'tier_change', 'peck', 'cert.issued'], description: 'ops' } });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ url: `${rcv.url}/crud`, status: 'enabled', description: 'ops', events: ['duckling.hatched', 'peck.sent', 'cert.issued', 'trust.elevated'] });
    expect(r.json.webhook_id).toMatch(/^wh_[0-9A-Z]{26}$/);
    expect(r.json.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(keyOf(r.json.secret).length).toBeGreaterThanOrEqual(24);
    expect(r.json.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const id = r.json.webhook_id;

    const got = await t.api('GET', `/beak/webhooks/${id}`, { token: who.token });
    expect(got.status).toBe(200);
    expect(got.json.secret).toBeUndefined();
    expect(got.text).not.toContain(r.json.secret.slice(6));
    const list = await t.api('GET', '/beak/webhooks?limit=100', { token: who.token });
    expect(list.json.webhooks.map((w: { webhook_id: string }) => w.webhook_id)).toContain(id);
    expect(list.text).not.toContain('whsec_');

    const all = await t.api('PATCH', `/beak/webhooks/${id}`, { token: who.token, body: { events: ['*', 'peck'], description: null } });
    expect(all.status, all.text).toBe(200);
    expect(all.json).toMatchObject({ events: ['*'], description: null });
    const off = await t.api('PATCH', `/beak/webhooks/${id}`, { token: who.token, body: { status: 'disabled' } });
    expect(off.json).toMatchObject({ status: 'disabled', disabled_reason: 'disabled by its owner' });
    const on = await t.api('PATCH', `/beak/webhooks/${id}`, { token: who.token, body: { status: 'enabled' } });
    expect(on.json).toMatchObject({ status: 'enabled', disabled_reason: null });

    const audit = await t.api('GET', '/beak/audit', { token: who.token });
    const types = (audit.json.entries ?? []).map((e: { event_type: string }) => e.event_type);
    expect(types).toEqual(expect.arrayContaining(['webhook.created', 'webhook.updated']));
    expect(audit.text).not.toContain(r.json.secret.slice(6));

    // Creation is idempotent under an Idempotency-Key (CONTRACT §1.6).
    const once = { url: `${rcv.url}/idem`, events: ['*'] };
    const i1 = await t.api('POST', '/beak/webhooks', { token: who.token, body: once, headers: { 'idempotency-key': 'wh-create-1' } });
    const i2 = await t.api('POST', '/beak/webhooks', { token: who.token, body: once, headers: { 'idempotency-key': 'wh-create-1' } });
    expect(i2.json.webhook_id).toBe(i1.json.webhook_id);
    expect((await t.api('GET', '/beak/webhooks', { token: who.token })).json.webhooks).toHaveLength(2);
    await t.api('DELETE', `/beak/webhooks/${i1.json.webhook_id}`, { token: who.token });

    const del = await t.api('DELETE', `/beak/webhooks/${id}`, { token: who.token });
    expect(del.json).toMatchObject({ success: true, deleted: true });
    expect((await t.api('GET', `/beak/webhooks/${id}`, { token: who.token })).status).toBe(404);
  });

  it('refuses bad input with a precise envelope and changes nothing', async () => {
    const who = await t.hatch();
    const before = (await t.api('GET', '/beak/webhooks?limit=100', { token: who.token })).json.webhooks.length;
    const cases: [unknown, string][] = [
      [{ url: 'ftp://example.com/x', events: ['*'] }, 'body.url'],
      [{ url: 'not a url', events: ['*'] }, 'body.url'],
      [{ url: `http://user:pw@127.0.0.1:1/x`, events: ['*'] }, 'body.url'],
      [{ url: `${rcv.url}/x`, events: ['cert.issued', 'nope.never'] }, 'body.events.1'],
      [{ url: `${rcv.url}/x`, events: ['signin.failed'] }, 'body.events.0'],
      [{ url: `${rcv.url}/x`, events: [] }, 'body.events'],
      [{ url: `${rcv.url}/x` }, 'body.events'],
    ];
    for (const [body, field] of cases) {
      const r = await t.api('POST', '/beak/webhooks', { token: who.token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(isEnvelope(r, 'E4000')).toBe(true);
      expect(JSON.stringify(r.json.details)).toContain(field);
    }
    expect((await t.api('POST', '/beak/webhooks', { body: { url: `${rcv.url}/x`, events: ['*'] } })).status).toBe(401);
    const h = await hook(who, ['*']);
    const p = await t.api('PATCH', `/beak/webhooks/${h.webhook_id}`, { token: who.token, body: { events: ['bogus'] } });
    expect(p.status).toBe(400);
    expect((await t.api('PATCH', `/beak/webhooks/${h.webhook_id}`, { token: who.token, body: {} })).status).toBe(400);
    expect((await t.api('GET', `/beak/webhooks/${h.webhook_id}`, { token: who.token })).json.events).toEqual(['*']);
    const after = (await t.api('GET', '/beak/webhooks?limit=100', { token: who.token })).json.webhooks.length;
    expect(after).toBe(before + 1);
    await t.api('DELETE', `/beak/webhooks/${h.webhook_id}`, { token: who.token });
  });

  it("hides another duckling's endpoints (404) on every route", async () => {
    const who = await t.hatch();
    const h = await hook(who, ['*']);
    const other = await t.hatch();
    const base = `/beak/webhooks/${h.webhook_id}`;
    for (const [m, url, body] of [
      ['GET', base], ['PATCH', base, { description: 'x' }], ['DELETE', base], ['POST', `${base}/rotate-secret`], ['POST', `${base}/test`],
      ['GET', `${base}/deliveries`], ['POST', `${base}/deliveries/evt_01JAAAAAAAAAAAAAAAAAAAAAAA/replay`], ['POST', `${base}/recover`, { since: new Date().toISOString() }],
    ] as [string, string, unknown?][]) {
      const r = await t.api(m, url, { token: other.token, body });
      expect(r.status, `${m} ${url}`).toBe(404);
      expect(isEnvelope(r, 'E4040')).toBe(true);
    }
    expect((await t.api('GET', '/beak/webhooks', { token: other.token })).json.webhooks).toEqual([]);
    // Endpoints are the operator's: its agents' keys cannot list or add them.
    const agent = await t.api('POST', '/beak/agent/register', { token: who.token, body: { agent_name: 'Nosy' } });
    expect(agent.status, agent.text).toBe(200);
    const asAgent = await t.api('GET', '/beak/webhooks', { token: agent.json.beak_key });
    expect(asAgent.status).toBe(403);
    expect(isEnvelope(asAgent, 'E4030')).toBe(true);
    expect((await t.api('GET', base, { token: who.token })).status).toBe(200);
    await t.api('DELETE', base, { token: who.token });
  });
});

describe('delivery', () => {
  it('delivers every event type of the contract to subscribed endpoints only, signed both ways', async () => {
    const who = await t.hatch();
    const all = await hook(who, ['*']);
    const certs = await hook(who, ['cert_issued']);
    const pecks = await hook(who, ['peck', 'peck.received']);
    const other = await t.hatch();
    const stranger = await hook(other, ['*'], '/stranger');
    await drain(); // anything earlier out of the way
    const from = rcv.got.length;

    const ids = new Map<string, string>();
    for (const type of WEBHOOK_EVENTS) ids.set(type, (await emit(type, who.duckling_id, { kind: type })).id);
    for (const type of ['signin.failed', 'key.created', 'webhook.created']) await emit(type, who.duckling_id); // not webhook events
    await emit('cert.issued', null); // no duckling: nobody's
    await drain();

    const got = rcv.got.slice(from);
    const to = (h: { path: string }) => got.filter((g) => g.path === h.path);
    expect(to(all).map((g) => g.type).sort()).toEqual([...WEBHOOK_EVENTS].sort());
    expect(to(certs).map((g) => g.type)).toEqual(['cert.issued']);
    expect(to(pecks).map((g) => g.type).sort()).toEqual(['peck.received', 'peck.sent']);
    expect(to(stranger)).toEqual([]);

    for (const g of to(all)) {
      expect(g.id).toBe(ids.get(g.type));
      expect(JSON.parse(g.body)).toEqual({ id: g.id, type: g.type, created_at: expect.stringMatching(/Z$/), data: { kind: g.type } });
      expect(g.headers['x-spaceduck-event']).toBe(g.type);
      expect(g.headers['content-type']).toBe('application/json');
      expect(swVerify(all.secret, g)).toMatchObject({ id: g.id, type: g.type });
      expect(plainHmacOk(all.secret, g)).toBe(true);
      expect(plainHmacOk(certs.secret, g)).toBe(false);
    }
    for (const g of to(certs)) expect(plainHmacOk(certs.secret, g)).toBe(true);
    expect(() => swVerify(certs.secret, to(all)[0]!)).toThrow();
    for (const h of [all, certs, pecks]) await t.api('DELETE', `/beak/webhooks/${h.webhook_id}`, { token: who.token });
  });

  it('carries the events the platform records itself (verification: duckling.verified, cert.issued)', async () => {
    const email = `hooked${crypto.randomBytes(3).toString('hex')}@example.com`;
    const s = await t.api('POST', '/beak/signup', { body: { email, password: 'correct horse battery staple' } });
    expect(s.status).toBe(200);
    // Endpoints need T1; registered through the service here so the verification's own events reach it.
    const made = await svc().create(s.json.duckling_id, { url: `${rcv.url}/native`, events: ['*'] }, { ip: null, userAgent: null });
    const v = await t.api('POST', '/beak/verify', { body: { email, otp: await t.otp(email) } });
    expect(v.status).toBe(200);
    await drain();
    const got = rcv.on('/native');
    expect(got.map((g) => g.type).sort()).toEqual(['cert.issued', 'duckling.verified']);
    for (const g of got) expect(swVerify(made.secret, g)).toBeTruthy();
    expect(JSON.parse(got.find((g) => g.type === 'cert.issued')!.body).data.cert_id).toBe(v.json.cert_id);
  });

  it('carries the events the features record as they happen (agents, keys, certs, pecks, bonds)', async () => {
    const a = await t.hatch();
    const b = await t.hatch();
    const ha = await hook(a, ['*']);
    const hb = await hook(b, ['peck.received']);
    const ok = async (method: string, url: string, token: string, body?: unknown) => {
      const r = await t.api(method, url, { token, body });
      expect(r.status, `${method} ${url}: ${r.text}`).toBe(200);
      return r.json;
    };
    const agent = await ok('POST', '/beak/agent/register', a.token, { agent_name: 'Hooked' });
    await ok('POST', '/beak/agent/bond', agent.beak_key, { agent_id: agent.agent_id, handshake_token: agent.handshake_token });
    await ok('POST', '/beak/key/rotate', a.token, { agent_id: agent.agent_id });
    await ok('POST', '/beak/cert/revoke', a.token, { reason: 'test' });
    await ok('POST', '/beak/cert/issue', a.token);
    const peck = await ok('POST', '/beak/peck', a.token, { target_duckling_id: b.duckling_id, purpose: 'hooks' });
    const bond = await ok('POST', '/beak/peck/approve', b.token, { peck_id: peck.peck_id });
    await ok('POST', '/beak/unpeck', a.token, { connection_id: bond.connection_id });
    await ok('POST', '/beak/agent/deregister', a.token, { agent_id: agent.agent_id });
    await drain();
    const gotA = rcv.on(ha.path).map((g) => g.type);
    expect(new Set(gotA)).toEqual(new Set(['agent.registered', 'agent.bonded', 'key.rotated', 'cert.revoked', 'cert.issued', 'peck.sent',
      'peck.approved', 'bond.created', 'bond.removed', 'agent.deregistered']));
    expect(gotA).toHaveLength(new Set(gotA).size); // once each
    expect(rcv.on(hb.path).map((g) => g.type)).toEqual(['peck.received']);
    for (const g of rcv.on(ha.path)) expect(swVerify(ha.secret, g)).toBeTruthy();
    const registered = JSON.parse(rcv.on(ha.path).find((g) => g.type === 'agent.registered')!.body);
    expect(registered.data).toMatchObject({ agent_id: agent.agent_id });
    expect(JSON.stringify(rcv.on(ha.path).map((g) => g.body))).not.toContain(agent.beak_key);
  });

  it('retries after 500s with the same webhook-id until it succeeds, then logs every attempt', async () => {
    const who = await t.hatch();
    const h = await hook(who, ['agent.registered']);
    let n = 0;
    rcv.answer = () => (++n <= 2 ? { status: 500, body: 'boom '.repeat(400) } : { status: 200, body: 'fine' });
    const ev = await emit('agent.registered', who.duckling_id);
    expect(await svc().tick()).toBe(1);
    expect(await svc().tick()).toBe(0); // not due yet
    const status = await t.api('GET', '/beak/system/status');
    expect(status.json.components.webhooks.backlog).toBeGreaterThanOrEqual(1);
    t.clock.advance(1000);
    expect(await svc().tick()).toBe(1);
    t.clock.advance(1000);
    expect(await svc().tick()).toBe(1);
    const got = rcv.on(h.path);
    expect(got.map((g) => g.id)).toEqual([ev.id, ev.id, ev.id]);
    expect(new Set(got.map((g) => g.body)).size).toBe(1);

    const log = await t.api('GET', `/beak/webhooks/${h.webhook_id}/deliveries`, { token: who.token });
    expect(log.status).toBe(200);
    const d = log.json.deliveries;
    expect(d.map((a: { status_code: number }) => a.status_code)).toEqual([200, 500, 500]);
    expect(d[0]).toMatchObject({ ok: true, status: 'succeeded', event_id: ev.id, event_type: 'agent.registered', delivery_status: 'succeeded', response_excerpt: 'fine', error: null });
    expect(d[1]).toMatchObject({ ok: false, status: 'failed', error: 'HTTP 500' });
    expect(Buffer.byteLength(d[1].response_excerpt)).toBeLessThanOrEqual(1024);
    expect(d[1].response_excerpt.startsWith('boom boom')).toBe(true);
    expect(typeof d[1].duration_ms).toBe('number');
    const failed = await t.api('GET', `/beak/webhooks/${h.webhook_id}/deliveries?status=failed&limit=1`, { token: who.token });
    expect(failed.json.deliveries).toHaveLength(1);
    expect(failed.json.next_cursor).toBeTruthy();
    const page2 = await t.api('GET', `/beak/webhooks/${h.webhook_id}/deliveries?status=failed&limit=1&cursor=${failed.json.next_cursor}`, { token: who.token });
    expect(page2.json.deliveries[0].attempt_id).not.toBe(failed.json.deliveries[0].attempt_id);
    expect(page2.json.next_cursor).toBeNull();
    expect((await t.api('GET', `/beak/webhooks/${h.webhook_id}/deliveries?status=bogus`, { token: who.token })).status).toBe(400);
    await t.api('DELETE', `/beak/webhooks/${h.webhook_id}`, { token: who.token });
  });

  it('honours Retry-After, treats 3xx as failure without following it, and gives up after the schedule', async () => {
    const who = await t.hatch();
    const h = await hook(who, ['key.rotated']);
    rcv.answer = (r) => (r.path === h.path ? { status: 503, headers: { 'retry-after': '5' } } : {});
    await emit('key.rotated', who.duckling_id);
    await svc().tick();
    t.clock.advance(1000);
    expect(await svc().tick()).toBe(0); // schedule says 1 s, the receiver asked for 5
    t.clock.advance(4000);
    rcv.answer = (r) => (r.path === h.path ? { status: 302, headers: { location: `${rcv.url}${h.path}/elsewhere` } } : {});
    expect(await svc().tick()).toBe(1);
    expect(rcv.on(`${h.path}/elsewhere`)).toHaveLength(0);
    for (let i = 0; i < 2; i++) { t.clock.advance(1000); expect(await svc().tick()).toBe(1); }
    t.clock.advance(60_000);
    expect(await svc().tick()).toBe(0); // 1 + 3 retries: done
    expect(rcv.on(h.path)).toHaveLength(4);
    const log = (await t.api('GET', `/beak/webhooks/${h.webhook_id}/deliveries`, { token: who.token })).json.deliveries;
    expect(log[0]).toMatchObject({ status_code: 302, delivery_status: 'failed', error: expect.stringContaining('redirect') });
    await t.api('DELETE', `/beak/webhooks/${h.webhook_id}`, { token: who.token });
  });

  it('retries after a timeout until success', async () => {
    const who = await t.hatch();
    svc().worker.timeoutMs = 300;
    const h = await hook(who, ['bond.created']);
    let n = 0;
    rcv.answer = () => (++n === 1 ? { delayMs: 1500 } : {});
    const ev = await emit('bond.created', who.duckling_id);
    await svc().tick();
    t.clock.advance(1000);
    await svc().tick();
    const log = (await t.api('GET', `/beak/webhooks/${h.webhook_id}/deliveries`, { token: who.token })).json.deliveries;
    expect(log.map((a: { ok: boolean }) => a.ok)).toEqual([true, false]);
    expect(log[1]).toMatchObject({ status_code: null, error: 'timeout after 300 ms', event_id: ev.id });
    expect(log[1].duration_ms).toBeLessThan(1400);
    await t.api('DELETE', `/beak/webhooks/${h.webhook_id}`, { token: who.token });
  });

  it('disables an endpoint that answers 410, fails its queue and emails the owner', async () => {
    const who = await t.hatch();
    const h = await hook(who, ['*'], '/gone');
    rcv.answer = (r) => (r.path === '/gone' ? { status: 410 } : {});
    await emit('peck.sent', who.duckling_id);
    await emit('peck.approved', who.duckling_id);
    await drain();
    expect(rcv.on('/gone').length).toBeGreaterThanOrEqual(1);
    const ep = await t.api('GET', `/beak/webhooks/${h.webhook_id}`, { token: who.token });
    expect(ep.json).toMatchObject({ status: 'disabled', disabled_reason: 'it answered 410 Gone' });
    const seen = rcv.on('/gone').length;
    await emit('peck.rejected', who.duckling_id);
    t.clock.advance(5000);
    await drain();
    expect(rcv.on('/gone')).toHaveLength(seen);
    expect(await svc().backlog()).toBe(0);
    const mail = await t.api('GET', `/beak/dev/mail?to=${encodeURIComponent(who.email)}`);
    expect(mail.json.messages.some((m: { subject: string; text: string }) => /disabled/.test(m.subject) && m.text.includes(h.webhook_id))).toBe(true);
    const audit = await t.api('GET', '/beak/audit', { token: who.token });
    expect(audit.json.entries.map((e: { event_type: string }) => e.event_type)).toContain('webhook.disabled');
    // Replay and recovery wait for the owner to re-enable it.
    expect((await t.api('POST', `/beak/webhooks/${h.webhook_id}/recover`, { token: who.token, body: { since: new Date(t.clock.now() - 60_000).toISOString() } })).status).toBe(409);
  });

  it('disables an endpoint after 5 days of failing everything, not before', async () => {
    const who = await t.hatch();
    const h = await hook(who, ['*'], '/down');
    rcv.answer = (r) => (r.path === '/down' ? { status: 500 } : {});
    const state = () => svc().get(who.duckling_id, h.webhook_id); // sessions expire as the clock jumps days
    await emit('agent.inactive', who.duckling_id);
    await svc().tick();
    t.clock.advance(4 * 86_400_000);
    await emit('agent.inactive', who.duckling_id);
    await drain();
    expect((await state()).status).toBe('enabled');
    t.clock.advance(86_400_000);
    await emit('agent.inactive', who.duckling_id);
    await drain();
    const ep = await state();
    expect(ep).toMatchObject({ status: 'disabled', disabled_reason: 'every delivery failed for 5 days' });
    expect(ep.failing_since).toBeTruthy();
    // Attempts in flight when it was disabled do not put their deliveries back in the queue.
    const queued = await t.app.deps.db.kysely.selectFrom('webhook_deliveries').select('id')
      .where('endpoint_id', '=', h.webhook_id).where('status', '=', 'pending').execute();
    expect(queued).toEqual([]);
  });

  it('replays an event (same webhook-id), even one the endpoint never received, and recovers failures since T', async () => {
    const who = await t.hatch();
    const h = await hook(who, ['cert.revoked']);
    const ev = await emit('cert.revoked', who.duckling_id);
    await drain();
    expect(rcv.on(h.path).map((g) => g.id)).toEqual([ev.id]);
    const r = await t.api('POST', `/beak/webhooks/${h.webhook_id}/deliveries/${ev.id}/replay`, { token: who.token });
    expect(r.status, r.text).toBe(202);
    expect(r.json).toMatchObject({ event_id: ev.id, event_type: 'cert.revoked', status: 'pending' });
    await drain();
    expect(rcv.on(h.path).map((g) => g.id)).toEqual([ev.id, ev.id]);
    expect(rcv.on(h.path)[1]!.body).toBe(rcv.on(h.path)[0]!.body);

    const unfiltered = await emit('trust.elevated', who.duckling_id);
    await drain();
    const missed = await t.api('POST', `/beak/webhooks/${h.webhook_id}/deliveries/${unfiltered.id}/replay`, { token: who.token });
    expect(missed.status).toBe(202);
    await drain();
    expect(rcv.on(h.path).at(-1)).toMatchObject({ id: unfiltered.id, type: 'trust.elevated' });
    for (const bad of ['evt_01JAAAAAAAAAAAAAAAAAAAAAAA', (await emit('signin.failed', who.duckling_id)).id]) {
      expect((await t.api('POST', `/beak/webhooks/${h.webhook_id}/deliveries/${bad}/replay`, { token: who.token })).status).toBe(404);
    }

    // An outage longer than the schedule: two deliveries fail for good, then "recover since T".
    const since = new Date(t.clock.now()).toISOString();
    rcv.answer = (g) => (g.path === h.path ? { status: 502 } : {});
    const lost = [await emit('cert.revoked', who.duckling_id), await emit('cert.revoked', who.duckling_id)];
    await drain();
    for (let i = 0; i < 3; i++) { t.clock.advance(1000); await drain(); }
    expect(await svc().backlog()).toBe(0);
    rcv.answer = () => ({});
    const rec = await t.api('POST', `/beak/webhooks/${h.webhook_id}/recover`, { token: who.token, body: { since } });
    expect(rec.status, rec.text).toBe(202);
    expect(rec.json.recovered).toBe(2);
    await drain();
    const ok = rcv.on(h.path).filter((g) => lost.some((e) => e.id === g.id));
    expect(ok).toHaveLength(2 * 4 + 2);
    expect((await t.api('POST', `/beak/webhooks/${h.webhook_id}/recover`, { token: who.token, body: { since: '2001-01-01T00:00:00Z' } })).status).toBe(400);
    expect((await t.api('POST', `/beak/webhooks/${h.webhook_id}/recover`, { token: who.token, body: {} })).status).toBe(400);
    await t.api('DELETE', `/beak/webhooks/${h.webhook_id}`, { token: who.token });
  });

  it('tester: sends a sample event now and returns the attempt, logged like any other', async () => {
    const who = await t.hatch();
    const h = await hook(who, ['peck.sent']);
    const r = await t.api('POST', `/beak/webhooks/${h.webhook_id}/test`, { token: who.token, body: { event_type: 'tier_change' } });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ ok: true, status_code: 200, response_excerpt: 'ok', event_type: 'trust.elevated', error: null });
    expect(typeof r.json.duration_ms).toBe('number');
    const g = rcv.on(h.path).at(-1)!;
    expect(g.id).toBe(r.json.event_id);
    expect(swVerify(h.secret, g)).toMatchObject({ type: 'trust.elevated', data: { test: true } });

    rcv.answer = () => ({ status: 500, body: 'nope' });
    const bad = await t.api('POST', `/beak/webhooks/${h.webhook_id}/test`, { token: who.token });
    expect(bad.json).toMatchObject({ ok: false, status_code: 500, response_excerpt: 'nope', event_type: 'peck.sent' });
    expect((await t.api('POST', `/beak/webhooks/${h.webhook_id}/test`, { token: who.token, body: { event_type: 'nope' } })).status).toBe(400);
    const log = (await t.api('GET', `/beak/webhooks/${h.webhook_id}/deliveries`, { token: who.token })).json.deliveries;
    expect(log.map((a: { event_id: string }) => a.event_id)).toEqual([bad.json.event_id, r.json.event_id]);
    expect(await svc().tick()).toBe(0); // a tester attempt is never retried
    expect((await t.api('GET', `/beak/webhooks/${h.webhook_id}`, { token: who.token })).json.failing_since).toBeNull();
    await t.api('DELETE', `/beak/webhooks/${h.webhook_id}`, { token: who.token });
  });

  it('rotating the secret signs with both secrets during the overlap, then with the new one only', async () => {
    const who = await t.hatch();
    const h = await hook(who, ['agent.deregistered']);
    const rot = await t.api('POST', `/beak/webhooks/${h.webhook_id}/rotate-secret`, { token: who.token });
    expect(rot.status, rot.text).toBe(200);
    expect(rot.json.secret).toMatch(/^whsec_/);
    expect(rot.json.secret).not.toBe(h.secret);
    expect(rot.json.previous_secret_expires_at).toBeTruthy();
    await emit('agent.deregistered', who.duckling_id);
    await drain();
    const during = rcv.on(h.path).at(-1)!;
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(swVerify(rot.json.secret, during)).toBeTruthy();
    expect(swVerify(h.secret, during)).toBeTruthy();
    expect(plainHmacOk(rot.json.secret, during)).toBe(true);

    t.clock.advance(24 * 3600_000 + 1000);
    await emit('agent.deregistered', who.duckling_id);
    await drain();
    const after = rcv.on(h.path).at(-1)!;
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(plainHmacOk(rot.json.secret, after)).toBe(true);
    expect(plainHmacOk(h.secret, after)).toBe(false);
    t.clock.set(Date.now());
    const now = await t.api('POST', `/beak/webhooks/${h.webhook_id}/rotate-secret`, { token: who.token, body: { overlap_seconds: 0 } });
    expect(now.json.previous_secret_expires_at).toBeNull();
    await t.api('DELETE', `/beak/webhooks/${h.webhook_id}`, { token: who.token });
  });

  it('the running worker delivers on its own and stop() waits for attempts in flight', async () => {
    const app = await makeApp(ENV, { clock: new ManualClock(Date.now()) });
    try {
      const who = await app.hatch();
      const r = await app.api('POST', '/beak/webhooks', { token: who.token, body: { url: `${rcv.url}/live`, events: ['*'] } });
      rcv.answer = (g) => (g.path === '/live' ? { delayMs: 400 } : {});
      app.app.deps.webhooks.start();
      const ev = await app.app.deps.db.kysely.transaction().execute((tx) => app.app.deps.events.record(tx, { type: 'bond.removed', ducklingId: who.duckling_id }));
      await until(() => rcv.on('/live').length === 1, 5000, 'the first attempt');
      await app.app.deps.webhooks.stop();
      const log = await app.api('GET', `/beak/webhooks/${r.json.webhook_id}/deliveries`, { token: who.token });
      expect(log.json.deliveries).toMatchObject([{ event_id: ev.id, ok: true, delivery_status: 'succeeded' }]);
    } finally { await app.close(); }
  });
});

describe('fairness', () => {
  it('a slow endpoint holds at most half the slots, so the others keep flowing', async () => {
    const app = await makeApp(ENV, { clock: systemClock as ManualClock }); // deferred work comes due in real time
    let slowNow = 0, slowMax = 0, slowDone = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    try {
      const who = await app.hatch();
      const mk = async (path: string, events: string[]) => (await app.api('POST', '/beak/webhooks', { token: who.token, body: { url: `${rcv.url}${path}`, events } })).json;
      await mk('/slow', ['peck.sent']);
      await mk('/fast', ['peck.received']);
      rcv.answer = async (g) => {
        if (g.path !== '/slow') return {};
        slowMax = Math.max(slowMax, ++slowNow);
        await gate;
        slowNow--; slowDone++;
        return {};
      };
      const { db, events, webhooks } = app.app.deps;
      for (let i = 0; i < 10; i++) await db.kysely.transaction().execute((tx) => events.record(tx, { type: 'peck.sent', ducklingId: who.duckling_id }));
      webhooks.start();
      await until(() => slowNow === 4, 5000, 'the slow endpoint to fill its share');
      await db.kysely.transaction().execute((tx) => events.record(tx, { type: 'peck.received', ducklingId: who.duckling_id }));
      await until(() => rcv.on('/fast').length === 1, 5000, 'the fast endpoint to be served');
      expect(slowDone).toBe(0);
      release();
      await until(() => slowDone === 10, 10_000, 'the slow endpoint to catch up');
      expect(slowMax).toBe(4);
    } finally {
      release();
      await app.close();
    }
  });
});

describe('SSRF guard', () => {
  it('classifies addresses: loopback, private, link-local, CGNAT, multicast, unspecified and mapped forms are refused', () => {
    for (const a of ['127.0.0.1', '127.9.9.9', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1',
      '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe', '2002:7f00:1::1', 'nonsense']) {
      expect(isForbiddenAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
      expect(isForbiddenAddress(a), a).toBe(false);
    }
  });

  it('refuses private targets at creation and again at delivery unless allowed', async () => {
    const app = await makeApp({ SPACEDUCK_WEBHOOK_RETRY_SCHEDULE: '1' }, { clock: new ManualClock(Date.now()) });
    try {
      const who = await app.hatch();
      for (const host of ['127.0.0.1', '10.0.0.1', '[::1]', '[::ffff:127.0.0.1]', '169.254.169.254', 'localhost', '0.0.0.0', '[fd00::1]', '100.64.0.1']) {
        const r = await app.api('POST', '/beak/webhooks', { token: who.token, body: { url: `http://${host}:8080/hook`, events: ['*'] } });
        expect(r.status, host).toBe(400);
        expect(r.json.message, host).toMatch(/not allowed/);
      }
      expect((await app.api('GET', '/beak/webhooks', { token: who.token })).json.webhooks).toEqual([]);

      // Saved while allowed (or while the name resolved elsewhere), refused when it is sent.
      app.app.deps.config.webhookAllowPrivate = true;
      const r = await app.api('POST', '/beak/webhooks', { token: who.token, body: { url: `${rcv.url.replace('127.0.0.1', 'localhost')}/ssrf`, events: ['*'] } });
      expect(r.status).toBe(200);
      app.app.deps.config.webhookAllowPrivate = false;
      await app.app.deps.db.kysely.transaction().execute((tx) => app.app.deps.events.record(tx, { type: 'peck.expired', ducklingId: who.duckling_id }));
      expect(await app.app.deps.webhooks.tick()).toBe(1);
      const test = await app.api('POST', `/beak/webhooks/${r.json.webhook_id}/test`, { token: who.token });
      expect(test.json).toMatchObject({ ok: false, status_code: null, error: expect.stringMatching(/^refused: localhost resolves to/) });
      const log = (await app.api('GET', `/beak/webhooks/${r.json.webhook_id}/deliveries`, { token: who.token })).json.deliveries;
      expect(log.at(-1)).toMatchObject({ ok: false, error: expect.stringMatching(/^refused/), event_type: 'peck.expired' });
      expect(rcv.on('/ssrf')).toHaveLength(0);
      const patch = await app.api('PATCH', `/beak/webhooks/${r.json.webhook_id}`, { token: who.token, body: { url: 'http://10.0.0.1/x' } });
      expect(patch.status).toBe(400);
    } finally { await app.close(); }
  });
});

describe.runIf(TEST_DATABASE_URL)('two nodes on one PostgreSQL database', () => {
  it('share the outbox and never make the same attempt twice in parallel', async () => {
    const env = { SPACEDUCK_WEBHOOK_ALLOW_PRIVATE: 'true', SPACEDUCK_WEBHOOK_RETRY_SCHEDULE: '0.05,0.05,0.05' };
    const a = await makeApp(env, { clock: systemClock as ManualClock });
    const config = loadConfig({ ...process.env, SPACEDUCK_ENV: 'test', SPACEDUCK_DATA_DIR: a.config.dataDir, SPACEDUCK_RATE_LIMITS: 'off', LOG_LEVEL: 'silent', DATABASE_URL: TEST_DATABASE_URL, ...env });
    const b = await buildApp(config, { logger: false, schema: a.schema, clock: systemClock });
    const local = await startReceiver();
    try {
      const who = await a.hatch();
      const r = await a.api('POST', '/beak/webhooks', { token: who.token, body: { url: `${local.url}/pair`, events: ['*'] } });
      const firstSeen = new Set<string>();
      local.answer = (g) => {
        if (!firstSeen.has(g.id)) { firstSeen.add(g.id); return { status: 500, delayMs: 20 }; }
        return { delayMs: 20 };
      };
      const N = 40;
      const ids: string[] = [];
      for (let i = 0; i < N; i++) {
        const app = i % 2 ? b : a.app;
        ids.push((await app.deps.db.kysely.transaction().execute((tx) => app.deps.events.record(tx, { type: 'peck.received', ducklingId: who.duckling_id, data: { i } }))).id);
      }
      a.app.deps.webhooks.start();
      b.deps.webhooks.start();
      await until(async () => (await a.app.deps.webhooks.backlog()) === 0, 20_000, 'the backlog to drain');
      const per = new Map<string, number>();
      for (const g of local.got) per.set(g.id, (per.get(g.id) ?? 0) + 1);
      expect([...per.keys()].sort()).toEqual([...ids].sort());
      expect([...per.values()].every((n) => n === 2)).toBe(true); // one 500, one success: nothing doubled
      expect(local.maxConcurrentPerId).toBe(1);
      const attempts = await a.app.deps.db.kysely.selectFrom('webhook_attempts').select('id').where('endpoint_id', '=', r.json.webhook_id).execute();
      expect(attempts).toHaveLength(2 * N);
    } finally {
      await b.close();
      await a.close();
      await local.close();
    }
  });
});
