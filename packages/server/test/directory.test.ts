// The public directory over HTTP: masked profiles, tier and name-prefix filters, keyset
// pagination, the caller's own profile as `me`, and directory_visible.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, uniq, type Hatched, type TestApp } from './harness.js';
import { registerAgent } from './agents-helpers.js';

let t: TestApp;
let tag: string;
let ducks: Hatched[];
beforeAll(async () => {
  t = await makeApp();
  tag = uniq('Zq');
  // Names share a prefix that differs in case, so the prefix filter must fold case.
  ducks = [];
  for (const name of [`${tag} Alpha`, `${tag.toLowerCase()} beta`, `${tag.toUpperCase()} Gamma`]) ducks.push(await t.hatch({ display_name: name }));
  await registerAgent(t, ducks[0]!);
  await registerAgent(t, ducks[0]!);
});
afterAll(async () => { await t.close(); });

const names = (r: { json: any }) => r.json.spaceducks.map((p: any) => p.display_name);

describe('directory', () => {
  it('lists masked profiles, never an email, ordered by name', async () => {
    const r = await t.api('GET', `/beak/spaceducks?q=${encodeURIComponent(tag)}`);
    expect(r.status).toBe(200);
    expect(names(r)).toEqual([`${tag} Alpha`, `${tag.toLowerCase()} beta`, `${tag.toUpperCase()} Gamma`]);
    expect(r.json.spaceducks[0]).toEqual({
      duckling_id: ducks[0]!.duckling_id, display_name: `${tag} Alpha`, bio: null, trust_tier: 'T1',
      cert_id: ducks[0]!.cert_id, certified: true, space_ducks: 2, created_at: expect.any(String),
    });
    expect(r.text).not.toContain('@');
    expect(r.json).not.toHaveProperty('me');
    expect(r.json.next_cursor).toBeNull();
    const alias = await t.api('GET', `/beak/directory?q=${encodeURIComponent(tag.toLowerCase())}`);
    expect(names(alias)).toEqual(names(r));
  });

  it('pages with a keyset cursor and refuses a forged one', async () => {
    const q = `q=${encodeURIComponent(tag)}`;
    const p1 = await t.api('GET', `/beak/spaceducks?${q}&limit=2`);
    expect(names(p1)).toHaveLength(2);
    const p2 = await t.api('GET', `/beak/spaceducks?${q}&limit=2&cursor=${p1.json.next_cursor}`);
    expect([...names(p1), ...names(p2)]).toEqual([`${tag} Alpha`, `${tag.toLowerCase()} beta`, `${tag.toUpperCase()} Gamma`]);
    expect(p2.json.next_cursor).toBeNull();
    for (const bad of ['cursor=%25%25%25', 'cursor=', 'limit=0', 'limit=101', 'tier=T9', `q=${'x'.repeat(33)}`]) {
      const r = await t.api('GET', `/beak/spaceducks?${bad}`);
      if (bad === 'cursor=') { expect(r.status).toBe(200); continue; }
      expect([r.status, r.json.code], bad).toEqual([400, 'E4000']);
    }
  });

  it('filters by tier, and treats LIKE wildcards in q literally', async () => {
    const t1 = await t.api('GET', `/beak/spaceducks?tier=T1&q=${encodeURIComponent(tag)}`);
    expect(names(t1)).toHaveLength(3);
    const t2 = await t.api('GET', `/beak/spaceducks?tier=T2&q=${encodeURIComponent(tag)}`);
    expect(names(t2)).toEqual([]);
    const wild = await t.api('GET', `/beak/spaceducks?q=${encodeURIComponent('%')}`);
    expect(names(wild)).toEqual([]);
    const underscore = await t.api('GET', `/beak/spaceducks?q=${encodeURIComponent(`${tag.slice(0, -1)}_`)}`);
    expect(names(underscore)).toEqual([]);
  });

  it("gives an authenticated caller its own full profile as `me`", async () => {
    const d = ducks[0]!;
    const r = await t.api('GET', `/beak/spaceducks?q=${encodeURIComponent(tag)}`, { token: d.token });
    expect(r.json.me).toMatchObject({
      duckling_id: d.duckling_id, email: d.email, display_name: `${tag} Alpha`, trust_tier: 'T1', directory_visible: true,
      cert_id: d.cert_id, cert_status: 'valid', egg_count: 2, space_ducks: 2, liveness: 'never',
    });
    // Only `me` carries an email.
    expect(JSON.stringify(r.json.spaceducks)).not.toContain('@');
    const ag = await registerAgent(t, ducks[1]!);
    const asAgent = await t.api('GET', '/beak/spaceducks?limit=1', { token: ag.beak_key });
    expect(asAgent.json.me).toMatchObject({ agent_id: ag.agent_id, duckling_id: ducks[1]!.duckling_id });
    expect(asAgent.text).not.toContain(ag.beak_key);
  });

  it('hides ducklings that turn directory_visible off, and unverified ones, and their agents', async () => {
    const hidden = ducks[2]!;
    await registerAgent(t, hidden);
    const off = await t.api('POST', '/beak/profile/update', { token: hidden.token, body: { directory_visible: false } });
    expect(off.status, off.text).toBe(200);
    const r = await t.api('GET', `/beak/spaceducks?q=${encodeURIComponent(tag)}`);
    expect(r.json.spaceducks.map((p: any) => p.duckling_id)).not.toContain(hidden.duckling_id);
    const agents = await t.api('GET', `/beak/spaceducks?duckling_id=${hidden.duckling_id}`);
    expect([agents.status, agents.json.code]).toEqual([404, 'E4040']);
    // The owner still sees its own, and itself as `me`.
    const own = await t.api('GET', `/beak/spaceducks?duckling_id=${hidden.duckling_id}`, { token: hidden.token });
    expect(own.json.view).toBe('owner');
    expect(own.json.spaceducks).toHaveLength(1);
    expect((await t.api('GET', '/beak/spaceducks', { token: hidden.token })).json.me.directory_visible).toBe(false);

    const email = `${uniq('pending')}@example.com`;
    const name = `${tag} Pending`;
    expect((await t.api('POST', '/beak/signup', { body: { email, display_name: name } })).status).toBe(200);
    expect(names(await t.api('GET', `/beak/spaceducks?q=${encodeURIComponent(name)}`))).toEqual([]);
  });
});
