// Space Ducks over HTTP: registration, the bond ceremony, lists and views, deregistration,
// pulses from every credential location, liveness with a moved clock, the sweeper's events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { TEST_DATABASE_URL, isEnvelope, makeApp, uniq, type Hatched, type TestApp } from './harness.js';
import { advance, audit, pulse, refresh, registerAgent } from './agents-helpers.js';

let t: TestApp;
let a: Hatched;
let b: Hatched;
beforeAll(async () => {
  t = await makeApp();
  [a, b] = [await t.hatch(), await t.hatch()];
});
afterAll(async () => { await t.close(); });

const MIN = 60_000;

describe('registration', () => {
  it('registers under the three paths and returns the agent, its Beak Key and a handshake token', async () => {
    const r = await t.api('POST', '/beak/agent/register', {
      token: a.token, body: { agent_name: ' MyBot ', agent_type: 'assistant', capabilities: ['read:profile', 'peck:request', 'read:profile'], provider: 'acme', model: 'm1' },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      agent_name: 'MyBot', agent_type: 'assistant', capabilities: ['read:profile', 'peck:request'], parent_id: null,
      status: 'registered', duckling_id: a.duckling_id, provider: 'acme', model: 'm1', liveness: 'never',
    });
    expect(r.json.spaceduck_id).toMatch(/^sd_[0-9A-Z]{26}$/);
    expect(r.json.agent_id).toBe(r.json.spaceduck_id);
    expect(r.json.beak_key).toMatch(/^bk_[A-Za-z0-9]{40,}$/);
    expect(r.json.handshake_token).toMatch(/^hs_/);
    expect(Date.parse(r.json.handshake_expires_at) - t.clock.now()).toBe(24 * 60 * MIN);
    expect(r.json.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The agent's own key is its primary key and authenticates it.
    const p = await pulse(t, r.json.beak_key);
    expect(p.json.spaceduck_id).toBe(r.json.spaceduck_id);

    const child = await t.api('POST', '/beak/register', { token: a.token, body: { agent_name: 'Child', agent_type: 'BOT', duckling_id: a.duckling_id, parent_id: r.json.spaceduck_id } });
    expect(child.status).toBe(200);
    expect(child.json.parent_id).toBe(r.json.spaceduck_id);
    const third = await t.api('POST', '/beak/spaceducks/register', { token: a.beak_key, body: { agent_name: 'ViaDucklingKey' } });
    expect(third.status).toBe(200);

    const log = await audit(t, a);
    expect(log.entries.filter((e) => e.event_type === 'agent.registered').map((e) => e.target_id)).toContain(r.json.spaceduck_id);
    expect(log.entries.some((e) => e.event_type === 'key.created' && e.detail.owner_id === r.json.spaceduck_id)).toBe(true);
    for (const secret of [r.json.beak_key, r.json.handshake_token, child.json.beak_key]) expect(log.text).not.toContain(secret);
  });

  it('refuses bad input with precise envelopes and creates nothing', async () => {
    const before = (await t.api('GET', '/beak/agent/list?include_deregistered=true', { token: a.token })).json.agents.length;
    const other = await registerAgent(t, b);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{}, 400, 'E4000'],
      [{ agent_name: '' }, 400, 'E4000'],
      [{ agent_name: '   ' }, 400, 'E4000'],
      [{ agent_name: 'x'.repeat(65) }, 400, 'E4000'],
      [{ agent_name: 'ok', agent_type: 'x'.repeat(33) }, 400, 'E4000'],
      [{ agent_name: 'ok', capabilities: { read: true } }, 400, 'E4000'],
      [{ agent_name: 'ok', capabilities: [{ a: 1 }] }, 400, 'E4000'],
      [{ agent_name: 'ok', duckling_id: b.duckling_id }, 403, 'E4030'],
      [{ agent_name: 'ok', parent_id: other.spaceduck_id }, 404, 'E4040'],
      [{ agent_name: 'ok', parent_id: 'sd_nope' }, 404, 'E4040'],
    ];
    for (const [body, status, code] of cases) {
      const r = await t.api('POST', '/beak/agent/register', { token: a.token, body });
      expect([r.status, r.json.code], JSON.stringify(body)).toEqual([status, code]);
      expect(isEnvelope(r)).toBe(true);
    }
    const anon = await t.api('POST', '/beak/agent/register', { body: { agent_name: 'ok' } });
    expect([anon.status, anon.json.code]).toEqual([401, 'E4001']);
    // An agent cannot register agents.
    const byAgent = await t.api('POST', '/beak/agent/register', { token: other.beak_key, body: { agent_name: 'ok' } });
    expect([byAgent.status, byAgent.json.code]).toEqual([403, 'E4030']);
    const after = (await t.api('GET', '/beak/agent/list?include_deregistered=true', { token: a.token })).json.agents.length;
    expect(after).toBe(before);
  });

  it('honours an idempotency key: a retried registration returns the first answer and creates nothing', async () => {
    const count = async () => (await t.api('GET', '/beak/agent/list?include_deregistered=true&limit=100', { token: a.token })).json.agents.length;
    const before = await count();
    const key = uniq('idem');
    const r1 = await t.api('POST', '/beak/agent/register', { token: a.token, headers: { 'idempotency-key': key }, body: { agent_name: 'Retried' } });
    const r2 = await t.api('POST', '/beak/agent/register', { token: a.token, headers: { 'idempotency-key': key }, body: { agent_name: 'Retried' } });
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(r2.json.spaceduck_id).toBe(r1.json.spaceduck_id);
    expect(r2.json.beak_key).toBe(r1.json.beak_key); // the same response, retransmitted to the same caller
    expect(r2.headers['idempotent-replayed']).toBe('true');
    // Seed 002's form: `request_id` in the body.
    const body = { agent_name: 'Retried too', request_id: uniq('req') };
    const r3 = await t.api('POST', '/beak/register', { token: a.token, body });
    const r4 = await t.api('POST', '/beak/register', { token: a.token, body });
    expect(r4.json.spaceduck_id).toBe(r3.json.spaceduck_id);
    expect(await count()).toBe(before + 2);
    // The stored replay is sealed: the key is nowhere in plaintext at rest.
    const rows = await t.app.deps.db.kysely.selectFrom('idempotency_keys').select('body').execute();
    expect(rows.some((row) => row.body.includes(r1.json.beak_key))).toBe(false);
  });

  it('needs T1: an unverified (T0) duckling gets E4002', async () => {
    const email = `${uniq('t0')}@example.com`;
    await t.api('POST', '/beak/signup', { body: { email, password: 'correct horse battery staple' } });
    const s = await t.api('POST', '/beak/signin', { body: { email, password: 'correct horse battery staple' } });
    expect(s.status).toBe(200);
    const r = await t.api('POST', '/beak/agent/register', { token: s.json.access_token, body: { agent_name: 'ok' } });
    expect([r.status, r.json.code]).toEqual([403, 'E4002']);
    expect(r.json.message).toContain('T1');
  });
});

describe('bond ceremony', () => {
  it('bonds with the agent key and the handshake token, exactly once', async () => {
    const ag = await registerAgent(t, a);
    const bodyOf = (token = ag.handshake_token) => ({ agent_id: ag.agent_id, handshake_token: token });
    const wrong = await t.api('POST', '/beak/agent/bond', { headers: { 'x-beak-key': ag.beak_key }, body: bodyOf('hs_wrong') });
    expect([wrong.status, wrong.json.code]).toEqual([400, 'E4005']);
    const bySession = await t.api('POST', '/beak/agent/bond', { token: a.token, body: bodyOf() });
    expect([bySession.status, bySession.json.code]).toEqual([403, 'E4030']);
    const sibling = await registerAgent(t, a);
    const forOther = await t.api('POST', '/beak/agent/bond', { headers: { 'x-beak-key': sibling.beak_key }, body: bodyOf() });
    expect([forOther.status, forOther.json.code]).toEqual([403, 'E4030']);

    const ok = await t.api('POST', '/beak/agent/bond', { headers: { 'x-beak-key': ag.beak_key }, body: bodyOf() });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ agent_id: ag.agent_id, spaceduck_id: ag.agent_id, status: 'bonded' });
    expect(ok.json.bonded_at).toBeTruthy();
    const again = await t.api('POST', '/beak/agent/bond', { token: ag.beak_key, body: bodyOf() });
    expect([again.status, again.json.code]).toEqual([409, 'E4090']);
    const list = await t.api('GET', '/beak/agent/list', { token: a.token });
    expect(list.json.agents.find((x: any) => x.agent_id === ag.agent_id).status).toBe('bonded');
    expect((await audit(t, a)).entries.filter((e) => e.event_type === 'agent.bonded' && e.target_id === ag.agent_id)).toHaveLength(1);
  });

  it('refuses an expired token (E4006); the operator can issue a fresh one', async () => {
    const ag = await registerAgent(t, a);
    await advance(t, 24 * 60 * MIN + 1);
    await refresh(t, a);
    await refresh(t, b);
    const late = await t.api('POST', '/beak/agent/bond', { token: ag.beak_key, body: { handshake_token: ag.handshake_token } });
    expect([late.status, late.json.code]).toEqual([400, 'E4006']);
    const foreign = await t.api('POST', '/beak/agent/handshake', { token: b.token, body: { agent_id: ag.agent_id } });
    expect([foreign.status, foreign.json.code]).toEqual([404, 'E4040']);
    const fresh = await t.api('POST', '/beak/agent/handshake', { token: a.token, body: { agent_id: ag.agent_id } });
    expect(fresh.status).toBe(200);
    const old = await t.api('POST', '/beak/agent/bond', { token: ag.beak_key, body: { handshake_token: ag.handshake_token } });
    expect([old.status, old.json.code]).toEqual([400, 'E4005']);
    const ok = await t.api('POST', '/beak/agent/bond', { token: ag.beak_key, body: { spaceduck_id: ag.agent_id, handshake_token: fresh.json.handshake_token } });
    expect(ok.status).toBe(200);
    const notAgain = await t.api('POST', '/beak/agent/handshake', { token: a.token, body: { agent_id: ag.agent_id } });
    expect([notAgain.status, notAgain.json.code]).toEqual([409, 'E4090']);
  });
});

describe('views across two ducklings', () => {
  it('the owner sees everything; anyone else a masked view; nobody sees the other\'s agents or keys', async () => {
    const ag = await registerAgent(t, a, { agent_name: 'Viewed' });
    await pulse(t, ag.beak_key, { meta: { secret_sauce: 'tomato', n: 1 } });
    const mine = await t.api('GET', '/beak/agent/list', { token: a.token });
    const row = mine.json.agents.find((x: any) => x.agent_id === ag.agent_id);
    expect(row).toMatchObject({ agent_name: 'Viewed', liveness: 'active', last_status: 'active', meta: { secret_sauce: 'tomato', n: 1 } });
    expect(row.beak_key).toMatch(/^bk_\w{4}…\w{4}$/);
    expect(row.beak_key_preview).toBe(row.beak_key);
    expect(mine.text).not.toContain(ag.beak_key);

    const theirs = await t.api('GET', '/beak/agent/list', { token: b.token });
    expect(theirs.json.agents.map((x: any) => x.duckling_id)).not.toContain(a.duckling_id);
    const asAgent = await t.api('GET', '/beak/agent/list', { token: ag.beak_key });
    expect([asAgent.status, asAgent.json.code]).toEqual([403, 'E4030']);

    const ownerView = await t.api('POST', '/beak/spaceducks', { token: a.token, body: { duckling_id: a.duckling_id } });
    expect(ownerView.json.view).toBe('owner');
    expect(ownerView.json.spaceducks.find((x: any) => x.agent_id === ag.agent_id).meta).toEqual({ secret_sauce: 'tomato', n: 1 });
    const ownByDefault = await t.api('POST', '/beak/spaceducks', { token: a.token, body: {} });
    expect(ownByDefault.json.spaceducks.length).toBe(ownerView.json.spaceducks.length);
    for (const r of [
      await t.api('GET', `/beak/spaceducks?duckling_id=${a.duckling_id}`),
      await t.api('GET', `/beak/spaceducks?duckling_id=${a.duckling_id}`, { token: b.token }),
      await t.api('POST', '/beak/spaceducks', { token: ag.beak_key, body: { duckling_id: a.duckling_id } }),
    ]) {
      expect(r.status).toBe(200);
      expect(r.json.view).toBe('public');
      const pub = r.json.spaceducks.find((x: any) => x.agent_id === ag.agent_id);
      expect(pub).toMatchObject({ agent_name: 'Viewed', liveness: 'active' });
      expect(pub).not.toHaveProperty('meta');
      expect(r.text).not.toMatch(/bk_|tomato|@example\.com/);
    }
    const anonPost = await t.api('POST', '/beak/spaceducks', { body: {} });
    expect([anonPost.status, anonPost.json.code]).toEqual([400, 'E4000']);
    const unknown = await t.api('GET', '/beak/spaceducks?duckling_id=dk_nobody');
    expect([unknown.status, unknown.json.code]).toEqual([404, 'E4040']);

    // b can touch none of a's agents.
    for (const [url, body] of [
      ['/beak/agent/deregister', { agent_id: ag.agent_id }],
      ['/beak/agent/handshake', { agent_id: ag.agent_id }],
      ['/beak/keys', { agent_id: ag.agent_id }],
    ] as const) {
      const r = await t.api('POST', url, { token: b.token, body });
      expect([r.status, r.json.code], url).toEqual([404, 'E4040']);
    }
    expect((await pulse(t, ag.beak_key)).status).toBe(200);
  });

  it('paginates the owner list with a keyset cursor', async () => {
    const c = await t.hatch();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await registerAgent(t, c, { agent_name: `P${i}` })).agent_id);
    const p1 = await t.api('GET', '/beak/agent/list?limit=2', { token: c.token });
    expect(p1.json.agents.map((x: any) => x.agent_id)).toEqual([ids[2], ids[1]]);
    const p2 = await t.api('GET', `/beak/agent/list?limit=2&cursor=${p1.json.next_cursor}`, { token: c.token });
    expect(p2.json.agents.map((x: any) => x.agent_id)).toEqual([ids[0]]);
    expect(p2.json.next_cursor).toBeNull();
    const bad = await t.api('GET', '/beak/agent/list?cursor=!!!', { token: c.token });
    expect([bad.status, bad.json.code]).toEqual([400, 'E4000']);
  });
});

describe('pulses', () => {
  it('accepts every credential location and reports liveness, bonds and tier', async () => {
    const ag = await registerAgent(t, a);
    const locations = [
      await t.api('POST', '/beak/pulse', { token: ag.beak_key, body: { spaceduck_id: ag.spaceduck_id, status: 'active', meta: { agent_version: '1.0.0', uptime_seconds: 12, ok: true } } }),
      await t.api('POST', '/beak/pulse', { headers: { 'x-beak-key': ag.beak_key }, body: { agent_id: ag.agent_id, status: 'Paused' } }),
      await t.api('POST', '/beak/pulse', { body: { spaceduck_id: ag.spaceduck_id, beak_key: ag.beak_key, status: 'ACTIVE', timestamp: 1774065600 } }),
      await t.api('POST', `/beak/pulse?beak_key=${ag.beak_key}`, { body: { duckling_id: a.duckling_id } }),
    ];
    for (const r of locations) {
      expect(r.status, r.text).toBe(200);
      expect(r.json).toMatchObject({ status: 'ok', message: 'Pulse recorded', duckling_id: a.duckling_id, spaceduck_id: ag.spaceduck_id, agent_id: ag.agent_id, active_bonds: 0, trust_tier: 'T1' });
      expect(r.json.last_seen).toBe(new Date(t.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    }
    expect(locations.map((r) => r.json.liveness)).toEqual(['active', 'paused', 'active', 'active']);
  });

  it('lets ducklings pulse too (seed 000), by key or session', async () => {
    const byKey = await pulse(t, a.beak_key, { duckling_id: a.duckling_id, status: 'active', meta: { agent_version: '1.0.0' } });
    expect(byKey.status).toBe(200);
    expect(byKey.json).toMatchObject({ duckling_id: a.duckling_id, liveness: 'active', trust_tier: 'T1' });
    expect(byKey.json).not.toHaveProperty('spaceduck_id');
    const bySession = await pulse(t, a.token, { status: 'terminating' });
    expect(bySession.json.liveness).toBe('terminated');
  });

  it('refuses bad pulses precisely and records nothing', async () => {
    const ag = await registerAgent(t, a);
    const sibling = await registerAgent(t, a);
    const foreign = await registerAgent(t, b);
    await pulse(t, ag.beak_key, { status: 'paused', meta: { v: 1 } });
    const bad: Array<[string | undefined, Record<string, unknown>, number, string]> = [
      [ag.beak_key, { status: 'sleeping' }, 400, 'E4000'],
      [ag.beak_key, { status: 7 }, 400, 'E4000'],
      [ag.beak_key, { meta: { note: 'x'.repeat(257) } }, 400, 'E4000'],
      [ag.beak_key, { meta: { nested: { a: 1 } } }, 400, 'E4000'],
      [ag.beak_key, { meta: { list: [1, 2] } }, 400, 'E4000'],
      [ag.beak_key, { meta: { nothing: null } }, 400, 'E4000'],
      [ag.beak_key, { meta: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])) }, 400, 'E4000'],
      [ag.beak_key, { meta: { ['k'.repeat(65)]: 1 } }, 400, 'E4000'],
      [ag.beak_key, { meta: 'flat?' }, 400, 'E4000'],
      [ag.beak_key, { spaceduck_id: sibling.spaceduck_id }, 403, 'E4030'],
      [ag.beak_key, { agent_id: foreign.agent_id }, 403, 'E4030'],
      [ag.beak_key, { duckling_id: b.duckling_id }, 403, 'E4030'],
      [ag.beak_key, { spaceduck_id: ag.spaceduck_id, agent_id: sibling.agent_id }, 400, 'E4000'],
      // The operator's credentials do not pulse on an agent's behalf.
      [a.token, { spaceduck_id: ag.spaceduck_id }, 403, 'E4030'],
      [a.beak_key, { spaceduck_id: ag.spaceduck_id }, 403, 'E4030'],
      [b.token, { spaceduck_id: ag.spaceduck_id }, 403, 'E4030'],
      [undefined, { spaceduck_id: ag.spaceduck_id }, 401, 'E4001'],
      ['bk_short', {}, 401, 'E4001'],
      ['bk_' + 'A'.repeat(44), {}, 401, 'E4001'],
      ['not-a-credential', {}, 401, 'E4001'],
    ];
    for (const [cred, body, status, code] of bad) {
      const r = await t.api('POST', '/beak/pulse', { token: cred, body });
      expect([r.status, r.json.code], JSON.stringify(body).slice(0, 80)).toEqual([status, code]);
      expect(isEnvelope(r)).toBe(true);
    }
    const row = (await t.api('GET', '/beak/agent/list', { token: a.token })).json.agents.find((x: any) => x.agent_id === ag.agent_id);
    expect(row).toMatchObject({ last_status: 'paused', meta: { v: 1 } });
    const big = await t.api('POST', '/beak/pulse', { token: ag.beak_key, raw: JSON.stringify({ meta: { x: 'y'.repeat(70_000) } }) });
    expect([big.status, big.json.code]).toEqual([413, 'E4130']);
    const malformed = await t.api('POST', '/beak/pulse', { token: ag.beak_key, raw: '{"status":' });
    expect([malformed.status, malformed.json.code]).toEqual([400, 'E4000']);
  });

  it('counts live bonds where the pulsing identity is a party', async () => {
    const c = await t.hatch();
    const ag = await registerAgent(t, c);
    const peck = await t.api('POST', '/beak/peck', { token: ag.beak_key, body: { target_duckling_id: b.duckling_id, purpose: 'bond test' } });
    expect(peck.status, peck.text).toBe(200);
    const ok = await t.api('POST', '/beak/peck/approve', { token: b.token, body: { peck_id: peck.json.peck_id } });
    expect(ok.status, ok.text).toBe(200);
    expect((await pulse(t, ag.beak_key)).json.active_bonds).toBe(1);
    expect((await pulse(t, b.token)).json.active_bonds).toBeGreaterThanOrEqual(1);
    expect((await pulse(t, c.token)).json.active_bonds).toBe(0);
    const un = await t.api('POST', '/beak/unpeck', { token: b.token, body: { connection_id: ok.json.connection_id } });
    expect(un.status, un.text).toBe(200);
    expect((await pulse(t, ag.beak_key)).json.active_bonds).toBe(0);
  });

  it('answers every pulse with X-Request-Id, refused ones too (the route sets it in its handler)', async () => {
    const ag = await registerAgent(t, a);
    const ok = await pulse(t, ag.beak_key, {});
    expect([ok.status, ok.headers['x-request-id']]).toEqual([200, expect.stringMatching(/^req_/)]);
    const echoed = await t.api('POST', '/beak/pulse', { token: ag.beak_key, body: {}, headers: { 'x-request-id': 'pulse-1' } });
    expect(echoed.headers['x-request-id']).toBe('pulse-1');
    for (const r of [
      await t.api('POST', '/beak/pulse', { body: {} }),
      await t.api('POST', '/beak/pulse', { token: ag.beak_key, body: { status: 'dancing' } }),
      await t.api('POST', '/beak/pulse', { token: ag.beak_key, raw: '{"status":' }),
    ]) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.headers['x-request-id']).toBe(r.json.request_id);
    }
  });

  // SQLite: the other node is a second connection of this process to the same file, and every
  // write to the bonds table is heard at once (src/db/watched-cache.ts). PostgreSQL: each node
  // keeps counts up to 5 s.
  it(`shows a bond made on another node ${TEST_DATABASE_URL ? 'within 5 s' : 'at once'}`, async () => {
    const other = await buildApp(t.config, { logger: false, clock: t.clock, schema: t.schema });
    try {
      const c = await t.hatch();
      const ag = await registerAgent(t, c);
      expect((await pulse(t, ag.beak_key)).json.active_bonds).toBe(0); // counted, and kept
      const peck = await t.api('POST', '/beak/peck', { token: ag.beak_key, body: { target_duckling_id: b.duckling_id, purpose: 'two nodes' } });
      const ok = await other.inject({ method: 'POST', url: '/beak/peck/approve', payload: { peck_id: peck.json.peck_id }, headers: { authorization: `Bearer ${b.token}` } });
      expect(ok.statusCode, ok.body).toBe(200);
      if (TEST_DATABASE_URL) {
        expect((await pulse(t, ag.beak_key)).json.active_bonds).toBe(0); // this node has not heard of it yet
        t.clock.advance(5000);
      }
      expect((await pulse(t, ag.beak_key)).json.active_bonds).toBe(1);
      const un = await other.inject({ method: 'POST', url: '/beak/unpeck', payload: { connection_id: JSON.parse(ok.body).connection_id }, headers: { authorization: `Bearer ${b.token}` } });
      expect(un.statusCode, un.body).toBe(200);
      if (TEST_DATABASE_URL) t.clock.advance(5000);
      expect((await pulse(t, ag.beak_key)).json.active_bonds).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('liveness', () => {
  it('moves never → active → inactive with the clock; the sweeper announces it exactly once', async () => {
    // Let every agent of earlier tests go quiet and be announced first: this test counts exactly.
    await advance(t, 5 * MIN);
    await t.app.deps.agents.sweep();
    const c = await t.hatch();
    const ag = await registerAgent(t, c);
    const paused = await registerAgent(t, c);
    const done = await registerAgent(t, c);
    const state = async () => Object.fromEntries((await t.api('GET', '/beak/agent/list', { token: c.token })).json.agents.map((x: any) => [x.agent_id, x.liveness]));
    const metrics = async () => {
      await t.app.deps.agents.pulses.flush(); // pulse writes are coalesced for up to 200 ms
      return (await t.api('GET', '/beak/metrics')).json;
    };
    expect((await state())[ag.agent_id]).toBe('never');
    const m0 = await metrics();
    await pulse(t, ag.beak_key, { status: 'active' });
    await pulse(t, paused.beak_key, { status: 'paused' });
    await pulse(t, done.beak_key, { status: 'terminating' });
    await advance(t, 10_000); // past the metrics cache
    const m1 = await metrics();
    expect(m1.agents_alive).toBe(m0.agents_alive + 1);
    expect(await state()).toMatchObject({ [ag.agent_id]: 'active', [paused.agent_id]: 'paused', [done.agent_id]: 'terminated' });

    await advance(t, 5 * MIN - 10_001);
    expect((await state())[ag.agent_id]).toBe('active'); // just under five minutes
    expect(await t.app.deps.agents.sweep()).toBe(0);
    await advance(t, 1);
    // Computed on read: exact before any sweep has run.
    expect(await state()).toMatchObject({ [ag.agent_id]: 'inactive', [paused.agent_id]: 'inactive', [done.agent_id]: 'terminated' });
    // Several sweepers at once (several nodes): each transition is announced once.
    const swept = await Promise.all([t.app.deps.agents.sweep(), t.app.deps.agents.sweep(), t.app.deps.agents.sweep()]);
    expect(swept.reduce((s, n) => s + n, 0)).toBeGreaterThanOrEqual(2);
    expect(await t.app.deps.agents.sweep()).toBe(0);
    const inactive = (await audit(t, c)).entries.filter((e) => e.event_type === 'agent.inactive');
    expect(inactive.map((e) => e.target_id).sort()).toEqual([ag.agent_id, paused.agent_id].sort());
    expect(inactive.find((e) => e.target_id === paused.agent_id)!.detail.previous_liveness).toBe('paused');
    expect((await metrics()).agents_alive).toBe(m0.agents_alive);

    // A pulse revives it, and the next silence is a new transition, announced again.
    await pulse(t, ag.beak_key);
    expect((await state())[ag.agent_id]).toBe('active');
    await advance(t, 5 * MIN);
    expect(await t.app.deps.agents.sweep()).toBe(1);
    expect((await audit(t, c)).entries.filter((e) => e.event_type === 'agent.inactive' && e.target_id === ag.agent_id)).toHaveLength(2);
  });
});

describe('deregistration', () => {
  it('revokes every key at once, refuses pulses, drops the agent from counts, and is final', async () => {
    await advance(t, 10_000);
    const m0 = (await t.api('GET', '/beak/metrics')).json;
    const ag = await registerAgent(t, a);
    const extra = await t.api('POST', '/beak/keys', { token: a.token, body: { agent_id: ag.agent_id, name: 'second' } });
    expect(extra.status).toBe(200);
    const rot = await t.api('POST', '/beak/rotate', { token: ag.beak_key, body: { grace_seconds: 3600 } });
    expect(rot.status).toBe(200);
    await pulse(t, rot.json.new_beak_key);
    for (const k of [ag.beak_key, extra.json.beak_key, rot.json.new_beak_key]) expect((await pulse(t, k)).status).toBe(200);
    await advance(t, 10_000);
    expect((await t.api('GET', '/beak/metrics')).json.space_ducks).toBe(m0.space_ducks + 1);

    const asOther = await t.api('POST', '/beak/agent/deregister', { token: b.token, body: { agent_id: ag.agent_id } });
    expect([asOther.status, asOther.json.code]).toEqual([404, 'E4040']);
    const missing = await t.api('POST', '/beak/agent/deregister', { token: a.token, body: {} });
    expect([missing.status, missing.json.code]).toEqual([400, 'E4000']);
    const dr = await t.api('POST', '/beak/agent/deregister', { token: a.token, body: { agent_id: ag.agent_id } });
    expect(dr.status).toBe(200);
    expect(dr.json).toMatchObject({ agent_id: ag.agent_id, spaceduck_id: ag.agent_id, status: 'deregistered', revoked_keys: 3 });

    for (const k of [ag.beak_key, extra.json.beak_key, rot.json.new_beak_key]) {
      const r = await pulse(t, k);
      expect([r.status, r.json.code]).toEqual([401, 'E4001']);
    }
    const again = await t.api('POST', '/beak/agent/deregister', { token: a.token, body: { agent_id: ag.agent_id } });
    expect(again.status).toBe(200);
    expect(again.json.revoked_keys).toBe(0);
    // Nothing brings the keys back: not rotation by the operator, not a new key.
    const rr = await t.api('POST', '/beak/key/rotate', { token: a.token, body: { agent_id: ag.agent_id } });
    expect([rr.status, rr.json.code]).toEqual([409, 'E4090']);
    const nk = await t.api('POST', '/beak/keys', { token: a.token, body: { agent_id: ag.agent_id } });
    expect([nk.status, nk.json.code]).toEqual([409, 'E4090']);

    const keys = await t.api('GET', `/beak/keys?owner_id=${ag.agent_id}&limit=100`, { token: a.token });
    expect(keys.json.keys.map((k: any) => k.status).sort()).toEqual(['revoked', 'revoked', 'rotated']);
    const list = await t.api('GET', '/beak/agent/list?limit=100', { token: a.token });
    expect(list.json.agents.map((x: any) => x.agent_id)).not.toContain(ag.agent_id);
    const all = await t.api('GET', '/beak/agent/list?limit=100&include_deregistered=true', { token: a.token });
    expect(all.json.agents.find((x: any) => x.agent_id === ag.agent_id)).toMatchObject({ status: 'deregistered', liveness: 'terminated', beak_key: null });
    await advance(t, 10_000);
    expect((await t.api('GET', '/beak/metrics')).json.space_ducks).toBe(m0.space_ducks);
    expect((await audit(t, a)).entries.some((e) => e.event_type === 'agent.deregistered' && e.target_id === ag.agent_id)).toBe(true);
  });

  it('lets an agent deregister itself, but not a sibling', async () => {
    const ag = await registerAgent(t, a);
    const sib = await registerAgent(t, a);
    const bad = await t.api('POST', '/beak/agent/deregister', { token: ag.beak_key, body: { agent_id: sib.agent_id } });
    expect([bad.status, bad.json.code]).toEqual([403, 'E4030']);
    const self = await t.api('POST', '/beak/agent/deregister', { token: ag.beak_key, body: {} });
    expect(self.status).toBe(200);
    expect((await pulse(t, ag.beak_key)).status).toBe(401);
    expect((await pulse(t, sib.beak_key)).status).toBe(200);
  });
});

describe('pulse writes across nodes', () => {
  it('coalesces writes, never moves last_seen backwards, and writes what is left at shutdown', async () => {
    // A second node on the same database (same SQLite file, or the same PostgreSQL schema).
    const node2 = await buildApp(t.config, { logger: false, clock: t.clock, schema: t.schema });
    const inject2 = (key: string, body: object) => node2.inject({ method: 'POST', url: '/beak/pulse', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    const stored = async (id: string) => t.app.deps.db.kysely.selectFrom('agents').select(['last_seen', 'last_status', 'liveness']).where('id', '=', id).executeTakeFirstOrThrow();
    try {
      const ag = await registerAgent(t, a);
      const older = t.clock.now();
      expect((await pulse(t, ag.beak_key, { status: 'paused' })).status).toBe(200); // waits on node 1
      await advance(t, 1000);
      expect((await inject2(ag.beak_key, { status: 'active' })).statusCode).toBe(200); // newer, waits on node 2
      await node2.deps.agents.pulses.flush();
      expect(await stored(ag.agent_id)).toEqual({ last_seen: older + 1000, last_status: 'active', liveness: 'active' });
      await t.app.deps.agents.pulses.flush(); // the older pulse arrives late: ignored
      expect(await stored(ag.agent_id)).toEqual({ last_seen: older + 1000, last_status: 'active', liveness: 'active' });

      await advance(t, 1000);
      expect((await inject2(ag.beak_key, { status: 'terminating' })).statusCode).toBe(200);
      await node2.close();
      expect(await stored(ag.agent_id)).toEqual({ last_seen: older + 2000, last_status: 'terminating', liveness: 'terminated' });
    } finally {
      await node2.close();
    }
  });
});
