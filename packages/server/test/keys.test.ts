// Beak Keys over HTTP: the Key Manager, expiry, revocation, rotation (both routes, both
// response shapes, the which-key rules, grace periods) and authorization across two ducklings.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { openDb } from '../src/db/index.js';
import { TEST_DATABASE_URL, isEnvelope, makeApp, until, type Hatched, type TestApp } from './harness.js';
import { advance, audit, pulse, refresh, registerAgent } from './agents-helpers.js';

let t: TestApp;
let a: Hatched;
let b: Hatched;
beforeAll(async () => {
  t = await makeApp();
  [a, b] = [await t.hatch(), await t.hatch()];
});
afterAll(async () => { await t.close(); });

const DAY = 86_400_000;
const works = async (key: string) => (await pulse(t, key)).status === 200;
const keysOf = async (h: Hatched, query = '') => (await t.api('GET', `/beak/keys?limit=100${query}`, { token: h.token })).json.keys as any[];

describe('Key Manager', () => {
  it("lists every key of the duckling and its agents, masked, and nothing of anyone else's", async () => {
    const ag = await registerAgent(t, a);
    await registerAgent(t, b);
    const r = await t.api('GET', '/beak/keys', { token: a.token });
    expect(r.status).toBe(200);
    const mine = r.json.keys;
    expect(mine.map((k: any) => k.owner_id).sort()).toEqual([a.duckling_id, ag.agent_id].sort());
    const agentKey = mine.find((k: any) => k.owner_type === 'agent');
    expect(agentKey).toMatchObject({ key_id: ag.key_id, owner_id: ag.agent_id, name: 'primary', primary: true, status: 'active', last_used_at: null, revoked_at: null });
    expect(agentKey.preview).toBe(`${ag.beak_key.slice(0, 7)}…${ag.beak_key.slice(-4)}`);
    expect(Date.parse(agentKey.expires_at) - Date.parse(agentKey.created_at)).toBe(90 * DAY);
    for (const secret of [ag.beak_key, a.beak_key]) expect(r.text).not.toContain(secret);
    expect(JSON.stringify(await keysOf(b))).not.toContain(a.duckling_id);
    // The agent's use shows as last_used_at (coalesced writes, read through on this node).
    await pulse(t, ag.beak_key);
    expect((await keysOf(a)).find((k) => k.key_id === ag.key_id).last_used_at).toBeTruthy();
    await t.app.deps.keys.flush();
    const row = await t.app.deps.db.kysely.selectFrom('beak_keys').select('last_used_at').where('id', '=', ag.key_id).executeTakeFirst();
    expect(row?.last_used_at).toBe(t.clock.now());
    // Agents do not manage keys.
    const asAgent = await t.api('GET', '/beak/keys', { token: ag.beak_key });
    expect([asAgent.status, asAgent.json.code]).toEqual([403, 'E4030']);
  });

  it('mints keys for the duckling or an agent, shown once, with 1–365 day expiry', async () => {
    const ag = await registerAgent(t, a);
    const k = await t.api('POST', '/beak/keys', { token: a.token, body: { name: 'ci', expires_in_days: 30 } });
    expect(k.status).toBe(200);
    expect(k.json).toMatchObject({ owner_type: 'duckling', owner_id: a.duckling_id, name: 'ci', primary: false, status: 'active' });
    expect(k.json.beak_key).toMatch(/^bk_[A-Za-z0-9]{40,}$/);
    expect(Date.parse(k.json.expires_at) - t.clock.now()).toBe(30 * DAY);
    expect((await pulse(t, k.json.beak_key)).json.duckling_id).toBe(a.duckling_id);
    const forAgent = await t.api('POST', '/beak/keys', { token: a.beak_key, body: { agent_id: ag.agent_id } });
    expect(forAgent.status).toBe(200);
    expect((await pulse(t, forAgent.json.beak_key)).json.spaceduck_id).toBe(ag.agent_id);

    for (const body of [{ expires_in_days: 0 }, { expires_in_days: 366 }, { expires_in_days: 1.5 }, { name: 'x'.repeat(65) }]) {
      const r = await t.api('POST', '/beak/keys', { token: a.token, body });
      expect([r.status, r.json.code], JSON.stringify(body)).toEqual([400, 'E4000']);
    }
    const foreign = await t.api('POST', '/beak/keys', { token: b.token, body: { agent_id: ag.agent_id } });
    expect([foreign.status, foreign.json.code]).toEqual([404, 'E4040']);
    const log = await audit(t, a);
    expect(log.entries.filter((e) => e.event_type === 'key.created').map((e) => e.target_id)).toEqual(expect.arrayContaining([k.json.key_id, forAgent.json.key_id]));
    for (const secret of [k.json.beak_key, forAgent.json.beak_key]) expect(log.text).not.toContain(secret);
  });

  it('caps the live keys of one owner', async () => {
    const c = await t.hatch();
    for (let i = 1; i < 25; i++) expect((await t.api('POST', '/beak/keys', { token: c.token, body: {} })).status).toBe(200);
    const over = await t.api('POST', '/beak/keys', { token: c.token, body: {} });
    expect([over.status, over.json.code]).toEqual([409, 'E4090']);
  });

  it('revokes a key at once; only its owner can', async () => {
    const k = (await t.api('POST', '/beak/keys', { token: a.token, body: { name: 'temp' } })).json;
    expect(await works(k.beak_key)).toBe(true);
    const byOther = await t.api('DELETE', `/beak/keys/${k.key_id}`, { token: b.token });
    expect([byOther.status, byOther.json.code]).toEqual([404, 'E4040']);
    expect(await works(k.beak_key)).toBe(true);
    const r = await t.api('DELETE', `/beak/keys/${k.key_id}`, { token: a.token });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ key_id: k.key_id, status: 'revoked' });
    expect(r.json.revoked_at).toBeTruthy();
    const refused = await pulse(t, k.beak_key);
    expect([refused.status, refused.json.code]).toEqual([401, 'E4001']);
    expect((await t.api('DELETE', `/beak/keys/${k.key_id}`, { token: a.token })).json.status).toBe('revoked');
    const unknown = await t.api('DELETE', '/beak/keys/key_nope', { token: a.token });
    expect([unknown.status, unknown.json.code]).toEqual([404, 'E4040']);
    expect((await audit(t, a)).entries.filter((e) => e.event_type === 'key.revoked' && e.target_id === k.key_id)).toHaveLength(1);
    expect((await keysOf(a, '&status=revoked')).map((x) => x.key_id)).toContain(k.key_id);
    expect((await keysOf(a, '&status=active')).map((x) => x.key_id)).not.toContain(k.key_id);
  });
});

describe('rotation', () => {
  it('rotates the presenting agent key: both response shapes, old key refused at once', async () => {
    const ag = await registerAgent(t, a);
    const r = await t.api('POST', '/beak/rotate', { token: ag.beak_key, body: { action: 'rotate' } });
    expect(r.status).toBe(200);
    expect(r.json.new_beak_key).toMatch(/^bk_[A-Za-z0-9]{40,}$/);
    expect(r.json.beak_key).toBe(r.json.new_beak_key);
    expect(r.json).toMatchObject({ spaceduck_id: ag.agent_id, agent_id: ag.agent_id, duckling_id: a.duckling_id, previous_key_id: ag.key_id, grace_until: null });
    expect(r.json.rotated_at).toBeTruthy();
    expect(r.json.message).toMatch(/invalid/);
    const old = await pulse(t, ag.beak_key);
    expect([old.status, old.json.code]).toEqual([401, 'E4001']);
    expect(await works(r.json.new_beak_key)).toBe(true);
    // The new key is the agent's primary now: the owner view previews it.
    const row = (await t.api('GET', '/beak/agent/list?limit=100', { token: a.token })).json.agents.find((x: any) => x.agent_id === ag.agent_id);
    expect(row.key_id).toBe(r.json.key_id);
    const keys = await keysOf(a, `&owner_id=${ag.agent_id}`);
    expect(keys.find((k) => k.key_id === ag.key_id)).toMatchObject({ status: 'rotated', replaced_by: r.json.key_id });
    const log = await audit(t, a);
    const ev = log.entries.find((e) => e.event_type === 'key.rotated' && e.target_id === r.json.key_id);
    expect(ev?.detail).toMatchObject({ previous_key_id: ag.key_id, owner_id: ag.agent_id });
    for (const secret of [ag.beak_key, r.json.new_beak_key]) expect(log.text).not.toContain(secret);
    // Rotating the same old key again is refused, even by its owner's session.
    const again = await t.api('POST', '/beak/rotate', { token: ag.beak_key, body: {} });
    expect([again.status, again.json.code]).toEqual([401, 'E4001']);
  });

  it("seed 000: a duckling key naming its duckling_id rotates that very key", async () => {
    const c = await t.hatch();
    const second = (await t.api('POST', '/beak/keys', { token: c.token, body: { name: 'deploy', expires_in_days: 10 } })).json;
    const r = await t.api('POST', '/beak/rotate', { token: second.beak_key, body: { action: 'rotate', duckling_id: c.duckling_id } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ duckling_id: c.duckling_id, previous_key_id: second.key_id, owner_type: 'duckling' });
    expect(r.json).not.toHaveProperty('spaceduck_id');
    // The rotated key keeps its name and lifetime; the primary key is untouched.
    expect(Date.parse(r.json.expires_at) - t.clock.now()).toBe(10 * DAY);
    expect(await works(second.beak_key)).toBe(false);
    expect(await works(c.beak_key)).toBe(true);
    // A session (no key presented) rotates the primary key, the one issued at verification.
    const s = await t.api('POST', '/beak/rotate', { token: c.token, body: {} });
    expect(s.status).toBe(200);
    expect(await works(c.beak_key)).toBe(false);
    expect(await works(s.json.beak_key)).toBe(true);
    expect(await works(r.json.beak_key)).toBe(true);
  });

  it("an operator rotates an agent's primary key by session or by its own key, not the presenting key", async () => {
    const ag = await registerAgent(t, a);
    const extra = (await t.api('POST', '/beak/keys', { token: a.token, body: { agent_id: ag.agent_id } })).json;
    const bySession = await t.api('POST', '/beak/key/rotate', { token: a.token, body: { agent_id: ag.agent_id } });
    expect(bySession.status).toBe(200);
    expect(bySession.json).toMatchObject({ spaceduck_id: ag.agent_id, previous_key_id: ag.key_id });
    expect(bySession.json.new_beak_key).toBe(bySession.json.beak_key);
    expect(await works(ag.beak_key)).toBe(false);
    expect(await works(extra.beak_key)).toBe(true); // not the primary: untouched

    const byKey = await t.api('POST', '/beak/rotate', { token: a.beak_key, body: { spaceduck_id: ag.agent_id } });
    expect(byKey.status).toBe(200);
    expect(byKey.json.previous_key_id).toBe(bySession.json.key_id);
    expect(await works(a.beak_key)).toBe(true); // the presenting operator key is not the one rotated
    expect(await works(bySession.json.beak_key)).toBe(false);
    expect(await works(byKey.json.beak_key)).toBe(true);
  });

  it('refuses to rotate anything that is not the caller or its own agent', async () => {
    const ag = await registerAgent(t, a);
    const sib = await registerAgent(t, a);
    const cases: Array<[string, string, Record<string, unknown>, number, string]> = [
      [b.token, '/beak/key/rotate', { agent_id: ag.agent_id }, 403, 'E4030'],
      [b.token, '/beak/rotate', { duckling_id: a.duckling_id }, 403, 'E4030'],
      [b.token, '/beak/rotate', { spaceduck_id: 'sd_unknown' }, 403, 'E4030'],
      [ag.beak_key, '/beak/rotate', { spaceduck_id: sib.agent_id }, 403, 'E4030'],
      [ag.beak_key, '/beak/rotate', { duckling_id: a.duckling_id }, 403, 'E4030'],
      [ag.beak_key, '/beak/rotate', { spaceduck_id: ag.agent_id, agent_id: sib.agent_id }, 400, 'E4000'],
      [ag.beak_key, '/beak/rotate', { grace_seconds: 86_401 }, 400, 'E4000'],
      [ag.beak_key, '/beak/rotate', { grace_seconds: -1 }, 400, 'E4000'],
      [ag.beak_key, '/beak/rotate', { expires_in_days: 400 }, 400, 'E4000'],
    ];
    for (const [cred, url, body, status, code] of cases) {
      const r = await t.api('POST', url, { token: cred, body });
      expect([r.status, r.json.code], `${url} ${JSON.stringify(body)}`).toEqual([status, code]);
      expect(isEnvelope(r)).toBe(true);
    }
    const anon = await t.api('POST', '/beak/rotate', { body: {} });
    expect([anon.status, anon.json.code]).toEqual([401, 'E4001']);
    for (const k of [ag.beak_key, sib.beak_key, a.beak_key]) expect(await works(k)).toBe(true);
  });

  it('two racing rotations of one key: exactly one wins', async () => {
    const ag = await registerAgent(t, a);
    const [x, y] = await Promise.all([
      t.api('POST', '/beak/rotate', { token: ag.beak_key, body: {} }),
      t.api('POST', '/beak/rotate', { token: ag.beak_key, body: {} }),
    ]);
    expect([x, y].filter((r) => r.status === 200)).toHaveLength(1);
    expect([x, y].find((r) => r.status !== 200)!.json.code).toMatch(/^E(4001|4090)$/);
    const live = (await keysOf(a, `&owner_id=${ag.agent_id}&status=active`));
    expect(live).toHaveLength(1);
  });

  it('keeps the old key for grace_seconds when asked, then refuses it', async () => {
    const ag = await registerAgent(t, a);
    const r = await t.api('POST', '/beak/rotate', { token: ag.beak_key, body: { grace_seconds: 60 } });
    expect(r.status).toBe(200);
    expect(Date.parse(r.json.grace_until) - t.clock.now()).toBe(60_000);
    expect(r.json.message).toContain(r.json.grace_until);
    expect(await works(ag.beak_key)).toBe(true);
    expect(await works(r.json.new_beak_key)).toBe(true);
    expect((await keysOf(a, `&owner_id=${ag.agent_id}`)).find((k) => k.key_id === ag.key_id)).toMatchObject({ status: 'rotated', grace_until: r.json.grace_until });
    // A key in its grace period cannot be rotated a second time.
    const twice = await t.api('POST', '/beak/rotate', { token: ag.beak_key, body: {} });
    expect([twice.status, twice.json.code]).toEqual([409, 'E4090']);
    await advance(t, 59_999);
    expect(await works(ag.beak_key)).toBe(true);
    await advance(t, 1);
    const after = await pulse(t, ag.beak_key);
    expect([after.status, after.json.code]).toEqual([401, 'E4001']);
    expect(await works(r.json.new_beak_key)).toBe(true);
  });

  it('revoking a key inside its grace period ends the grace at once', async () => {
    const ag = await registerAgent(t, a);
    const r = await t.api('POST', '/beak/rotate', { token: ag.beak_key, body: { grace_seconds: 3600 } });
    expect(await works(ag.beak_key)).toBe(true);
    const del = await t.api('DELETE', `/beak/keys/${ag.key_id}`, { token: a.token });
    expect(del.json.status).toBe('revoked');
    expect(await works(ag.beak_key)).toBe(false);
    expect(await works(r.json.beak_key)).toBe(true);
  });
});

describe('expiry', () => {
  it('a key stops working at its expiry and reads "expired"; the operator can still rotate it', async () => {
    const ag = await registerAgent(t, a);
    const short = (await t.api('POST', '/beak/keys', { token: a.token, body: { agent_id: ag.agent_id, expires_in_days: 1 } })).json;
    expect(await works(short.beak_key)).toBe(true);
    await advance(t, DAY);
    await refresh(t, a);
    const r = await pulse(t, short.beak_key);
    expect([r.status, r.json.code]).toEqual([401, 'E4001']);
    expect((await keysOf(a, `&owner_id=${ag.agent_id}`)).find((k) => k.key_id === short.key_id).status).toBe('expired');
    expect((await keysOf(a, '&status=expired')).map((k) => k.key_id)).toContain(short.key_id);
    await advance(t, 90 * DAY);
    await refresh(t, a);
    expect(await works(ag.beak_key)).toBe(false);
    const rot = await t.api('POST', '/beak/key/rotate', { token: a.token, body: { agent_id: ag.agent_id } });
    expect(rot.status).toBe(200);
    expect(Date.parse(rot.json.expires_at) - t.clock.now()).toBe(90 * DAY);
    expect(await works(rot.json.beak_key)).toBe(true);
  });
});

// On SQLite a verified key is remembered (src/db/watched-cache.ts). Whatever in this process
// changes the rows behind it — a statement no service wrote, another connection (the admin
// command's) — the next request must see the change; another process's write shows within
// FOREIGN_CHECK_MS. On PostgreSQL all of it holds with no cache at all.
describe('a key in use follows every change to its rows at once', () => {
  const other = () => openDb({ dataDir: t.config.dataDir, databaseUrl: t.config.databaseUrl, schema: t.schema });

  it('when the key, its agent or its duckling changes, by this process or another', async () => {
    const owner = await t.hatch();
    const ag = await registerAgent(t, owner);
    const db = t.app.deps.db.kysely;
    expect(await works(ag.beak_key)).toBe(true);
    expect(await works(ag.beak_key)).toBe(true);

    await sql`update beak_keys set status = 'revoked' where id = ${ag.key_id}`.execute(db);
    expect(await works(ag.beak_key)).toBe(false);
    await sql`update beak_keys set status = 'active' where id = ${ag.key_id}`.execute(db);
    expect(await works(ag.beak_key)).toBe(true);

    await db.updateTable('agents').set({ status: 'deregistered' }).where('id', '=', ag.agent_id).execute();
    expect(await works(ag.beak_key)).toBe(false);
    await db.updateTable('agents').set({ status: 'bonded' }).where('id', '=', ag.agent_id).execute();
    expect(await works(ag.beak_key)).toBe(true);

    const elsewhere = await other();
    try {
      await elsewhere.kysely.updateTable('ducklings').set({ status: 'suspended' }).where('id', '=', owner.duckling_id).execute();
      expect(await works(ag.beak_key)).toBe(false);
      await elsewhere.kysely.updateTable('ducklings').set({ status: 'active' }).where('id', '=', owner.duckling_id).execute();
      expect(await works(ag.beak_key)).toBe(true);
      await elsewhere.kysely.updateTable('beak_keys').set({ expires_at: t.clock.now() - 1 }).where('id', '=', ag.key_id).execute();
      expect(await works(ag.beak_key)).toBe(false);
    } finally {
      await elsewhere.close();
    }
  });

  it('and its tier: a change shows in the next answer', async () => {
    const owner = await t.hatch();
    const ag = await registerAgent(t, owner);
    expect((await pulse(t, ag.beak_key)).json.trust_tier).toBe('T1');
    const elsewhere = await other();
    try {
      await elsewhere.kysely.updateTable('ducklings').set({ trust_tier: 'T3' }).where('id', '=', owner.duckling_id).execute();
    } finally {
      await elsewhere.close();
    }
    expect((await pulse(t, ag.beak_key)).json.trust_tier).toBe('T3');
  });

  it.skipIf(!!TEST_DATABASE_URL)('and, on SQLite, a write by another process within moments', async () => {
    const owner = await t.hatch();
    const ag = await registerAgent(t, owner);
    expect(await works(ag.beak_key)).toBe(true);
    // A connection that is not this process's Db: as `spaceduck admin` in a shell would write.
    const foreign = new SQLite(path.join(t.config.dataDir, 'spaceduck.db'));
    try {
      foreign.prepare("update ducklings set status = 'suspended' where id = ?").run(owner.duckling_id);
    } finally {
      foreign.close();
    }
    const started = performance.now();
    await until(async () => !(await works(ag.beak_key)), 2000, 'the key refused');
    expect(performance.now() - started).toBeLessThan(1000); // FOREIGN_CHECK_MS, with room for a busy machine
  });
});
