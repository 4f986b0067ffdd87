// The Peck Protocol over HTTP (CONTRACT §6): each seed's request → emailed code → approve / deny,
// expiry on a controllable clock, the code's brute-force budget, bonds, listings, authorization,
// bad input without side effects, and racing decisions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, isEnvelope, type Hatched, type TestApp } from './harness.js';
import { auditOf, counts, historyOf, mailbox, peck, peckMail, pending, wrong } from './pecks-helpers.js';

let t: TestApp;
let a: Hatched, b: Hatched, c: Hatched;
const MIN = 60_000;

beforeAll(async () => {
  t = await makeApp();
  [a, b, c] = [await t.hatch(), await t.hatch(), await t.hatch()];
});
afterAll(async () => { await t.close(); });

const fresh = () => t.hatch();
const connectionsOf = async (token: string) => {
  const r = await t.api('GET', '/beak/connections', { token });
  expect(r.status, r.text).toBe(200);
  return r.json.connections as Array<Record<string, any>>;
};

describe('seed 000: Beak Key as Bearer, target by email, approve with otp + duckling_id', () => {
  it('requests, emails the target a code, approves into a bond both sides see', async () => {
    const before = (await t.api('GET', '/beak/metrics')).json;
    const r = await peck(t, a, { action: 'peck', requester_id: a.duckling_id, target_email: b.email, purpose: 'Agent fleet coordination' });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({
      peck_id: expect.stringMatching(/^peck_[0-9A-Z]{26}$/), status: 'pending', target_email: b.email, target_id: b.duckling_id,
      expires_at: new Date(t.clock.now() + 10 * MIN).toISOString().replace('.000Z', 'Z'), message: 'Peck sent. Waiting for target approval.',
    });
    const mail = await peckMail(t, b.email, r.json.peck_id);
    expect(mail.text).toContain(a.display_name);
    expect(mail.text).toContain('T1');
    expect(mail.text).toContain('Agent fleet coordination');
    expect(mail.text).toContain(mail.otp!);

    // The same pair again: the pending peck comes back, and no second email goes out.
    const dupe = await peck(t, a, { target_email: b.email, purpose: 'again' });
    expect(dupe.status).toBe(200);
    expect(dupe.json.peck_id).toBe(r.json.peck_id);
    await peckMail(t, b.email, r.json.peck_id);

    t.clock.advance(7 * MIN);
    const ap = await t.api('POST', '/beak/peck/approve', { token: b.beak_key, body: { peck_id: r.json.peck_id, duckling_id: b.duckling_id, otp: mail.otp } });
    expect(ap.status, ap.text).toBe(200);
    expect(ap.json).toEqual({
      approved: true, connection_id: expect.stringMatching(/^conn_/), status: 'bonded', peck_id: r.json.peck_id,
      requester_id: a.duckling_id, target_id: b.duckling_id, bonded_at: new Date(t.clock.now()).toISOString().replace('.000Z', 'Z'),
    });

    // `action: "peck"` is the verb of seed 000, not an action asked for.
    expect((await historyOf(t, a.token)).find((h) => h.peck_id === r.json.peck_id)).toMatchObject({ status: 'approved', action: null, purpose: 'Agent fleet coordination' });
    const [ca, cb] = [await connectionsOf(a.token), await connectionsOf(b.beak_key)];
    expect(ca).toContainEqual(expect.objectContaining({ connection_id: ap.json.connection_id, peer_id: b.duckling_id, peer_type: 'duckling', peer_display_name: b.display_name, peer_trust_tier: 'T1' }));
    expect(cb).toContainEqual(expect.objectContaining({ connection_id: ap.json.connection_id, peer_id: a.duckling_id, peer_display_name: a.display_name }));

    const again = await peck(t, a, { target_email: b.email });
    expect(again.status).toBe(409);
    expect(isEnvelope(again, 'E4090')).toBe(true);
    const reverse = await peck(t, b, { target: a.duckling_id });
    expect(reverse.status).toBe(409);
    const twice = await t.api('POST', '/beak/peck/approve', { token: b.token, body: { peck_id: r.json.peck_id } });
    expect(twice.status).toBe(409);
    expect(isEnvelope(twice, 'E4090')).toBe(true);

    const after = (await t.api('GET', '/beak/metrics')).json;
    expect(after.connections).toBe(before.connections + 1);
    expect(after.pecks_completed).toBe(before.pecks_completed + 1);

    // Both sides' audit trails, and never the code in them.
    const [aa, ab] = [await auditOf(t, a.token), await auditOf(t, b.token)];
    const types = (l: typeof aa) => l.filter((e) => e.target_id === r.json.peck_id || e.target_id === ap.json.connection_id).map((e) => e.event_type).sort();
    expect(types(aa)).toEqual(['bond.created', 'peck.approved', 'peck.sent']);
    expect(types(ab)).toEqual(['bond.created', 'peck.approved', 'peck.received']);
    expect(JSON.stringify([aa, ab])).not.toContain(mail.otp!);
    expect(ab.find((e) => e.event_type === 'peck.approved')!.detail).toMatchObject({ method: 'credentials+otp', connection_id: ap.json.connection_id });
  });

  it('denies: the requester is told, and the decision is final', async () => {
    const p = await pending(t, a, c, { purpose: 'Deny me' });
    const dn = await t.api('POST', '/beak/peck/deny', { token: c.token, body: { peck_id: p.id, duckling_id: c.duckling_id, reason: 'not now' } });
    expect(dn.status, dn.text).toBe(200);
    expect(dn.json).toEqual({ denied: true, peck_id: p.id, status: 'rejected', reason: 'not now' });
    const note = (await mailbox(t, a.email)).find((m) => m.text.includes(p.id));
    expect(note?.text).toContain('not now');
    expect(note?.otp).toBeNull();
    for (const url of ['/beak/peck/approve', '/beak/peck/deny']) {
      const r = await t.api('POST', url, { token: c.token, body: { peck_id: p.id } });
      expect(r.status).toBe(409);
    }
    expect((await historyOf(t, a.token)).find((x) => x.peck_id === p.id)).toMatchObject({ direction: 'sent', status: 'rejected', reason: 'not now' });
    expect((await auditOf(t, a.token)).some((e) => e.event_type === 'peck.rejected' && e.target_id === p.id)).toBe(true);
    expect((await auditOf(t, c.token)).some((e) => e.event_type === 'peck.rejected' && e.target_id === p.id)).toBe(true);
    // A rejection is not a bond: the pair may try again.
    expect((await peck(t, a, { target_email: c.email })).status).toBe(200);
  });
});

describe('seed 004: session bearer, target_duckling_id, action and scope', () => {
  it('requests by duckling id and approves with the session alone', async () => {
    const [x, y] = [await fresh(), await fresh()];
    const r = await peck(t, x, { target_duckling_id: y.duckling_id, action: 'read:profile', scope: 'limited' }, '/beak/peck/request');
    expect(r.status, r.text).toBe(200);
    expect(r.json).not.toHaveProperty('target_email');
    expect(r.json.target_id).toBe(y.duckling_id);
    await peckMail(t, y.email, r.json.peck_id);
    const listed = await t.api('POST', '/beak/peck/list', { token: y.token });
    expect(listed.json.pecks).toEqual([expect.objectContaining({ peck_id: r.json.peck_id, direction: 'received', action: 'read:profile', scope: 'limited', status: 'pending' })]);
    const ap = await t.api('POST', '/beak/peck/approve', { token: y.token, body: { peck_id: r.json.peck_id } });
    expect(ap.status, ap.text).toBe(200);
    expect((await connectionsOf(x.token))[0]).toMatchObject({ peer_id: y.duckling_id, scope: 'limited' });
    expect((await t.api('POST', '/beak/peck/list', { token: y.token })).json.pecks).toEqual([]);
  });

  it('rejects with a reason via /beak/peck/reject', async () => {
    const [x, y] = [await fresh(), await fresh()];
    const r = await peck(t, x, { target_duckling_id: y.duckling_id, action: 'read:profile', scope: 'limited' }, '/beak/peck/request');
    const rj = await t.api('POST', '/beak/peck/reject', { token: y.token, body: { peck_id: r.json.peck_id, reason: 'not_authorised' } });
    expect(rj.json).toEqual({ denied: true, peck_id: r.json.peck_id, status: 'rejected', reason: 'not_authorised' });
  });

  it('answers 404 for ids that name nobody', async () => {
    for (const body of [{ target_duckling_id: 'SD-1234' }, { target_duckling_id: 'dk_01JZZZZZZZZZZZZZZZZZZZZZZZ' }, { target: 'target-duckling-id' }, { target_email: 'nobody@example.com' }]) {
      const r = await peck(t, a, body);
      expect(r.status, JSON.stringify(body)).toBe(404);
      expect(isEnvelope(r, 'E4040')).toBe(true);
      expect(r.json.message).toBe('Target Space Duck not found');
    }
  });
});

describe('seed 001: target + action "query" + payload', () => {
  it('carries the payload, and the emailed code alone approves', async () => {
    const [x, y] = [await fresh(), await fresh()];
    const r = await peck(t, x, { target: y.duckling_id, action: 'query', payload: { question: 'status?', n: 1 } });
    expect(r.status, r.text).toBe(200);
    const { otp } = await peckMail(t, y.email, r.json.peck_id);
    expect((await historyOf(t, y.token))[0]).toMatchObject({ peck_id: r.json.peck_id, action: 'query', payload: { question: 'status?', n: 1 } });
    const ap = await t.api('POST', '/beak/peck/approve', { body: { peck_id: r.json.peck_id, code: otp } });
    expect(ap.status, ap.text).toBe(200);
    expect(ap.json.status).toBe('bonded');
    expect((await auditOf(t, y.token)).find((e) => e.event_type === 'peck.approved')!.detail.method).toBe('otp');
  });

  it('the emailed code alone denies, via action "deny" on approve', async () => {
    const [x, y] = [await fresh(), await fresh()];
    const p = await pending(t, x, y);
    const dn = await t.api('POST', '/beak/peck/approve', { body: { peck_id: p.id, otp: p.code, action: 'deny' } });
    expect(dn.json).toEqual({ denied: true, peck_id: p.id, status: 'rejected', reason: null });
  });
});

describe('expiry', () => {
  it('refuses approval after 10 minutes with EXPIRED, and the peck reads expired', async () => {
    const [x, y] = [await fresh(), await fresh()];
    const p = await pending(t, x, y);
    t.clock.advance(10 * MIN);
    const ap = await t.api('POST', '/beak/peck/approve', { token: y.token, body: { peck_id: p.id, otp: p.code } });
    expect(ap.status).toBe(400);
    expect(isEnvelope(ap, 'E4006')).toBe(true);
    expect((await historyOf(t, x.token))[0]).toMatchObject({ peck_id: p.id, status: 'expired' });
    expect(await connectionsOf(y.token)).toEqual([]);
  });

  it('the sweeper expires untouched pecks once, emitting peck.expired to both sides', async () => {
    const [x, y] = [await fresh(), await fresh()];
    const p = await pending(t, x, y);
    t.clock.advance(9 * MIN);
    await t.app.deps.pecks.expireDue();
    expect((await historyOf(t, x.token, '&status=pending')).map((h) => h.peck_id)).toEqual([p.id]);
    t.clock.advance(MIN);
    expect(await t.app.deps.pecks.expireDue()).toBeGreaterThanOrEqual(1);
    expect(await t.app.deps.pecks.expireDue()).toBe(0);
    for (const who of [x, y]) {
      expect((await auditOf(t, who.token)).filter((e) => e.event_type === 'peck.expired' && e.target_id === p.id)).toHaveLength(1);
    }
    expect((await historyOf(t, y.token, '&status=expired')).map((h) => h.peck_id)).toEqual([p.id]);
    const late = await t.api('POST', '/beak/peck/deny', { token: y.token, body: { peck_id: p.id } });
    expect(isEnvelope(late, 'E4006')).toBe(true);
    // An expired peck no longer blocks the pair: a new one is sent, with a new code.
    const again = await peck(t, x, { target_email: y.email });
    expect(again.json.peck_id).not.toBe(p.id);
    await peckMail(t, y.email, again.json.peck_id);
  });
});

describe('the code', () => {
  it('is dead after 5 wrong tries; the target\'s credentials still work', async () => {
    const [x, y] = [await fresh(), await fresh()];
    const p = await pending(t, x, y);
    // Credentials and a wrong code: both must hold, so this fails (and counts as a wrong try).
    const both = await t.api('POST', '/beak/peck/approve', { token: y.token, body: { peck_id: p.id, otp: wrong(p.code) } });
    expect(isEnvelope(both, 'E4005')).toBe(true);
    for (let i = 0; i < 4; i++) {
      const r = await t.api('POST', '/beak/peck/approve', { body: { peck_id: p.id, otp: wrong(p.code) } });
      expect(r.status).toBe(400);
      expect(isEnvelope(r, 'E4005')).toBe(true);
    }
    const right = await t.api('POST', '/beak/peck/approve', { body: { peck_id: p.id, otp: p.code } });
    expect(right.status).toBe(400);
    expect(isEnvelope(right, 'E4006')).toBe(true);
    expect((await historyOf(t, y.token))[0]).toMatchObject({ peck_id: p.id, status: 'pending' });
    const creds = await t.api('POST', '/beak/peck/approve', { token: y.beak_key, body: { peck_id: p.id } });
    expect(creds.status, creds.text).toBe(200);
  });
});

describe('authorization across ducklings', () => {
  it('only the target (or the holder of its code) decides; nothing changes otherwise', async () => {
    const [x, y, z] = [await fresh(), await fresh(), await fresh()];
    const p = await pending(t, x, y);
    const snap = await counts(t);
    const cases: Array<[string, { token?: string; body: Record<string, unknown> }, number]> = [
      ['third party key', { token: z.beak_key, body: { peck_id: p.id } }, 403],
      ['third party session + right code', { token: z.token, body: { peck_id: p.id, otp: p.code } }, 403],
      ['the requester itself', { token: x.token, body: { peck_id: p.id } }, 403],
      ['code with someone else\'s duckling_id', { body: { peck_id: p.id, otp: p.code, duckling_id: z.duckling_id } }, 403],
      ['target key but another duckling_id', { token: y.beak_key, body: { peck_id: p.id, duckling_id: x.duckling_id } }, 403],
      ['nothing presented', { body: { peck_id: p.id } }, 401],
      ['bad body beak_key', { body: { peck_id: p.id, beak_key: 'bk_nope' } }, 401],
      ['unknown peck', { token: y.token, body: { peck_id: 'peck_01JZZZZZZZZZZZZZZZZZZZZZZZ' } }, 404],
    ];
    for (const [name, req, status] of cases) {
      for (const url of ['/beak/peck/approve', '/beak/peck/deny']) {
        const r = await t.api('POST', url, req);
        expect(r.status, `${name} ${url}: ${r.text}`).toBe(status);
        expect(isEnvelope(r)).toBe(true);
      }
    }
    expect(await counts(t)).toEqual(snap);
    expect(await historyOf(t, z.token)).toEqual([]);
    expect((await t.api('POST', '/beak/peck/list', { token: x.token })).json.pecks).toEqual([]);
    // The code was never spent by the refused attempts: it still approves.
    const ok = await t.api('POST', '/beak/peck/approve', { body: { peck_id: p.id, otp: p.code, duckling_id: y.duckling_id } });
    expect(ok.status, ok.text).toBe(200);
    const un = await t.api('POST', '/beak/unpeck', { token: z.token, body: { connection_id: ok.json.connection_id } });
    expect(un.status).toBe(403);
    expect(await connectionsOf(z.token)).toEqual([]);
  });

  it('requester_id must be the caller or its own agent', async () => {
    const r = await peck(t, a, { requester_id: c.duckling_id, target_email: b.email });
    expect(r.status).toBe(403);
    expect(isEnvelope(r, 'E4030')).toBe(true);
  });
});

describe('bad input', () => {
  it('is a precise 4xx and changes nothing', async () => {
    const [x, y] = [await fresh(), await fresh()];
    const snap = await counts(t);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ target_email: x.email }, 400, 'E4000'],
      [{ target: x.duckling_id }, 400, 'E4000'],
      [{ target_email: y.email.toUpperCase(), requester_id: x.duckling_id, purpose: 'p'.repeat(281) }, 400, 'E4000'],
      [{ target: y.duckling_id, action: 'query', payload: { blob: 'x'.repeat(9000) } }, 400, 'E4000'],
      [{ target: y.duckling_id, payload: 'not an object' }, 400, 'E4000'],
      [{ target_email: y.email, target_duckling_id: y.duckling_id }, 400, 'E4000'],
      [{ purpose: 'no target' }, 400, 'E4000'],
      [{ target_email: 'not-an-email' }, 400, 'E4000'],
      [{ target_email: y.email, requester_id: 'sd_01JZZZZZZZZZZZZZZZZZZZZZZZ' }, 403, 'E4030'],
    ];
    for (const [body, status, code] of cases) {
      const r = await peck(t, x, body);
      expect(r.status, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`).toBe(status);
      expect(isEnvelope(r, code)).toBe(true);
    }
    const big = await peck(t, x, { target: y.duckling_id, payload: { blob: 'x'.repeat(9000) } });
    expect(big.json.details).toEqual([expect.objectContaining({ field: 'body.payload' })]);
    expect((await t.api('POST', '/beak/peck', { raw: '{"target":', token: x.token })).status).toBe(400);
    expect((await t.api('POST', '/beak/peck', { body: { target_email: y.email } })).status).toBe(401);
    expect((await t.api('GET', '/beak/peck/history?direction=sideways', { token: x.token })).status).toBe(400);
    expect((await t.api('GET', '/beak/peck/history?cursor=%00%01', { token: x.token })).status).toBe(400);
    expect((await t.api('POST', '/beak/peck/approve', { token: y.token, body: {} })).status).toBe(400);
    expect((await t.api('POST', '/beak/unpeck', { token: y.token, body: {} })).status).toBe(400);
    expect(await counts(t)).toEqual(snap);
  });

  it('needs a valid birth certificate (403 E4002 once it is revoked)', async () => {
    const [x, y] = [await fresh(), await fresh()];
    await t.app.deps.db.kysely.updateTable('certificates').set({ status: 'revoked', revoked_at: t.clock.now() })
      .where('duckling_id', '=', x.duckling_id).execute();
    const snap = await counts(t);
    const r = await peck(t, x, { target_email: y.email });
    expect(r.status).toBe(403);
    expect(isEnvelope(r, 'E4002')).toBe(true);
    expect(await counts(t)).toEqual(snap);
  });
});

describe('bonds and listings', () => {
  it('unpeck from either side, by connection_id or target_id', async () => {
    const [x, y] = [await fresh(), await fresh()];
    const p = await pending(t, x, y);
    const bond = (await t.api('POST', '/beak/peck/approve', { token: y.token, body: { peck_id: p.id } })).json;
    expect(await t.app.deps.pecks.activeBonds(x.duckling_id)).toBe(1);
    const un = await t.api('POST', '/beak/unpeck', { token: y.beak_key, body: { connection_id: bond.connection_id } });
    expect(un.status, un.text).toBe(200);
    expect(un.json).toMatchObject({ connection_id: bond.connection_id, status: 'unbonded' });
    expect(await connectionsOf(x.token)).toEqual([]);
    expect(await connectionsOf(y.token)).toEqual([]);
    expect((await t.api('POST', '/beak/unpeck', { token: x.token, body: { connection_id: bond.connection_id } })).status).toBe(409);
    for (const who of [x, y]) expect((await auditOf(t, who.token)).filter((e) => e.event_type === 'bond.removed')).toHaveLength(1);

    // Bond again (the requester this time is the other side), then unbond by target_id.
    const p2 = await pending(t, y, x);
    const bond2 = (await t.api('POST', '/beak/peck/approve', { token: x.token, body: { peck_id: p2.id } })).json;
    expect(bond2.connection_id).not.toBe(bond.connection_id);
    const un2 = await t.api('POST', '/beak/unpeck', { token: x.token, body: { target_id: y.duckling_id } });
    expect(un2.json.connection_id).toBe(bond2.connection_id);
    expect((await t.api('POST', '/beak/unpeck', { token: x.token, body: { target_id: y.duckling_id } })).status).toBe(404);
    expect(await t.app.deps.pecks.activeBonds(x.duckling_id)).toBe(0);
  });

  it('history pages by cursor and filters by direction and status, from both sides', async () => {
    const [x, y, z, w] = [await fresh(), await fresh(), await fresh(), await fresh()];
    const p1 = await pending(t, x, y);
    const p2 = await pending(t, x, z);
    const p3 = await pending(t, w, x);
    // z pecking x back while x's peck to z is pending: decide that one instead.
    const back = await peck(t, z, { target: x.duckling_id });
    expect(back.status).toBe(409);
    expect(back.json.details).toEqual({ peck_id: p2.id });
    await t.api('POST', '/beak/peck/deny', { token: y.token, body: { peck_id: p1.id } });
    const all = await historyOf(t, x.token);
    expect(all.map((h) => h.peck_id)).toEqual([p3.id, p2.id, p1.id]);
    expect(all.map((h) => h.direction)).toEqual(['received', 'sent', 'sent']);
    expect((await historyOf(t, x.token, '&direction=sent')).map((h) => h.peck_id)).toEqual([p2.id, p1.id]);
    expect((await historyOf(t, x.token, '&direction=received')).map((h) => h.peck_id)).toEqual([p3.id]);
    expect((await historyOf(t, x.token, '&status=rejected')).map((h) => h.peck_id)).toEqual([p1.id]);
    expect((await historyOf(t, y.token)).map((h) => [h.peck_id, h.direction, h.status])).toEqual([[p1.id, 'received', 'rejected']]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await t.api('GET', `/beak/peck/history?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: x.token });
      expect(r.json.pecks.length).toBeLessThanOrEqual(2);
      seen.push(...r.json.pecks.map((h: { peck_id: string }) => h.peck_id));
      cursor = r.json.next_cursor;
    } while (cursor);
    expect(seen).toEqual([p3.id, p2.id, p1.id]);
  });
});

describe('races', () => {
  it('two approvals at once create exactly one bond', async () => {
    const [x, y] = [await fresh(), await fresh()];
    for (let round = 0; round < 3; round++) {
      const p = await pending(t, x, y);
      const rs = await Promise.all([
        t.api('POST', '/beak/peck/approve', { token: y.token, body: { peck_id: p.id } }),
        t.api('POST', '/beak/peck/approve', { token: y.beak_key, body: { peck_id: p.id } }),
        t.api('POST', '/beak/peck/approve', { body: { peck_id: p.id, otp: p.code } }),
      ]);
      const statuses = rs.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200), statuses.join()).toHaveLength(1);
      expect(statuses.filter((s) => s !== 200).every((s) => s === 409 || s === 400)).toBe(true);
      const rows = await t.app.deps.db.kysely.selectFrom('connections').selectAll().where('peck_id', '=', p.id).execute();
      expect(rows).toHaveLength(1);
      const winner = rs.find((r) => r.status === 200)!;
      expect(rows[0]!.id).toBe(winner.json.connection_id);
      const audits = (await auditOf(t, x.token)).filter((e) => e.event_type === 'bond.created' && e.target_id === rows[0]!.id);
      expect(audits).toHaveLength(1);
      expect((await t.api('POST', '/beak/unpeck', { token: x.token, body: { connection_id: rows[0]!.id } })).status).toBe(200);
    }
  });

  it('approve racing deny: exactly one decision', async () => {
    const [x, y] = [await fresh(), await fresh()];
    const p = await pending(t, x, y);
    const [ap, dn] = await Promise.all([
      t.api('POST', '/beak/peck/approve', { token: y.token, body: { peck_id: p.id } }),
      t.api('POST', '/beak/peck/deny', { token: y.beak_key, body: { peck_id: p.id } }),
    ]);
    expect([ap.status, dn.status].sort()).toEqual([200, 409]);
    const h = (await historyOf(t, x.token))[0];
    expect(h.status).toBe(ap.status === 200 ? 'approved' : 'rejected');
  });

  it('two first pecks for one pair at once are one peck and one email', async () => {
    const [x, y] = [await fresh(), await fresh()];
    const rs = await Promise.all([1, 2, 3].map(() => peck(t, x, { target_email: y.email })));
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(rs.map((r) => r.json.peck_id)).size).toBe(1);
    expect((await mailbox(t, y.email)).filter((m) => m.otp && m.text.includes('peck_'))).toHaveLength(1);
  });
});

describe('seed 002: Space Ducks (agents) as requesters and targets', () => {
  const agentOf = async (owner: Hatched, agent_name: string) => {
    const r = await t.api('POST', '/beak/agent/register', { token: owner.token, body: { agent_name } });
    expect(r.status, r.text).toBe(200);
    return r.json as { spaceduck_id: string; beak_key: string };
  };

  it('an agent pecks with its own key; the target approves with body beak_key and action', async () => {
    const [op, y] = [await fresh(), await fresh()];
    const ag = await agentOf(op, 'Scout');
    const r = await peck(t, { beak_key: ag.beak_key }, { requester_spaceduck_id: ag.spaceduck_id, target_email: y.email, purpose: 'API integration' });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ status: 'pending', target_email: y.email, target_id: y.duckling_id });
    const mail = await peckMail(t, y.email, r.json.peck_id);
    expect(mail.text).toContain('Scout');
    expect(mail.text).toContain(op.display_name);
    const ap = await t.api('POST', '/beak/peck/approve', { body: { peck_id: r.json.peck_id, beak_key: y.beak_key, action: 'approve' } });
    expect(ap.status, ap.text).toBe(200);
    expect(ap.json).toMatchObject({ approved: true, status: 'bonded', requester_id: ag.spaceduck_id, target_id: y.duckling_id });

    expect(await connectionsOf(ag.beak_key)).toEqual([expect.objectContaining({ own_id: ag.spaceduck_id, peer_id: y.duckling_id })]);
    expect(await connectionsOf(op.token)).toEqual([expect.objectContaining({ own_id: ag.spaceduck_id, peer_id: y.duckling_id })]);
    expect(await connectionsOf(y.token)).toEqual([expect.objectContaining({
      own_id: y.duckling_id, peer_id: ag.spaceduck_id, peer_type: 'agent', peer_duckling_id: op.duckling_id, peer_display_name: 'Scout', peer_trust_tier: 'T1',
    })]);
    expect((await historyOf(t, op.token))[0]).toMatchObject({ peck_id: r.json.peck_id, direction: 'sent', requester_type: 'agent', status: 'approved' });
    expect((await auditOf(t, op.token)).find((e) => e.event_type === 'peck.sent')).toBeTruthy();
    const pulse = await t.api('POST', '/beak/pulse', { token: ag.beak_key, body: { spaceduck_id: ag.spaceduck_id, status: 'active' } });
    expect(pulse.json.active_bonds).toBe(1);
    // The operator's own duckling is not a party: its bond count is its own.
    expect(await t.app.deps.pecks.activeBonds(op.duckling_id)).toBe(0);
  });

  it('an operator may peck as its agent; nobody may borrow another identity, or peck its own account', async () => {
    const [op, y, z] = [await fresh(), await fresh(), await fresh()];
    const [ag, sib] = [await agentOf(op, 'Scout'), await agentOf(op, 'Sibling')];
    const asAgent = await peck(t, op, { requester_spaceduck_id: ag.spaceduck_id, target_duckling_id: y.duckling_id }, '/beak/peck/request');
    expect(asAgent.status, asAgent.text).toBe(200);
    expect((await historyOf(t, ag.beak_key))[0]).toMatchObject({ peck_id: asAgent.json.peck_id, requester_id: ag.spaceduck_id });
    const snap = await counts(t);
    const refused: Array<[{ token?: string; beak_key?: string }, Record<string, unknown>, number]> = [
      [z, { requester_spaceduck_id: ag.spaceduck_id, target_email: y.email }, 403],
      [{ beak_key: ag.beak_key }, { requester_id: op.duckling_id, target_email: y.email }, 403],
      [{ beak_key: ag.beak_key }, { requester_spaceduck_id: sib.spaceduck_id, target_email: y.email }, 403],
      [{ beak_key: ag.beak_key }, { requester_agent_id: ag.spaceduck_id, requester_id: sib.spaceduck_id, target_email: y.email }, 400],
      [{ beak_key: ag.beak_key }, { target: op.duckling_id }, 400],
      [{ beak_key: ag.beak_key }, { target_spaceduck_id: sib.spaceduck_id }, 400],
      [op, { target_spaceduck_id: ag.spaceduck_id }, 400],
      [op, { target_spaceduck_id: y.duckling_id }, 404],
    ];
    for (const [who, body, status] of refused) {
      const r = await peck(t, who, body);
      expect(r.status, `${JSON.stringify(body)}: ${r.text}`).toBe(status);
    }
    expect(await counts(t)).toEqual(snap);
  });

  it('an agent as target: it or its operator decides, a sibling cannot; deregistering ends its bonds', async () => {
    const [op, x] = [await fresh(), await fresh()];
    const [ag, sib] = [await agentOf(op, 'Target'), await agentOf(op, 'Sibling')];
    const r = await peck(t, x, { target_spaceduck_id: ag.spaceduck_id, purpose: 'talk to your agent' });
    expect(r.status, r.text).toBe(200);
    expect((await peckMail(t, op.email, r.json.peck_id)).text).toContain('your Space Duck Target');
    expect((await t.api('POST', '/beak/peck/list', { token: ag.beak_key })).json.pecks.map((p: any) => p.peck_id)).toEqual([r.json.peck_id]);
    expect((await t.api('POST', '/beak/peck/list', { token: op.token })).json.pecks.map((p: any) => p.peck_id)).toEqual([r.json.peck_id]);
    expect((await t.api('POST', '/beak/peck/list', { token: sib.beak_key })).json.pecks).toEqual([]);
    expect((await t.api('POST', '/beak/peck/approve', { token: sib.beak_key, body: { peck_id: r.json.peck_id } })).status).toBe(403);
    const dn = await t.api('POST', '/beak/peck/approve', { body: { peck_id: r.json.peck_id, beak_key: ag.beak_key, action: 'deny' } });
    expect(dn.json).toMatchObject({ denied: true, status: 'rejected' });

    const r2 = await peck(t, x, { target: ag.spaceduck_id });
    const ap = await t.api('POST', '/beak/peck/approve', { token: op.token, body: { peck_id: r2.json.peck_id, duckling_id: op.duckling_id } });
    expect(ap.status, ap.text).toBe(200);
    expect(ap.json.target_id).toBe(ag.spaceduck_id);
    expect(await connectionsOf(x.token)).toEqual([expect.objectContaining({ peer_id: ag.spaceduck_id, peer_display_name: 'Target' })]);

    const pendingToAg = await peck(t, await fresh(), { target_spaceduck_id: ag.spaceduck_id });
    const gone = await t.api('POST', '/beak/agent/deregister', { token: op.token, body: { agent_id: ag.spaceduck_id } });
    expect(gone.status, gone.text).toBe(200);
    expect(await connectionsOf(x.token)).toEqual([]);
    expect((await auditOf(t, x.token)).filter((e) => e.event_type === 'bond.removed' && e.target_id === ap.json.connection_id)).toHaveLength(1);
    const cancelled = await t.app.deps.pecks.store.peck(pendingToAg.json.peck_id);
    expect(cancelled).toMatchObject({ status: 'cancelled', reason: 'agent_deregistered' });
    const again = await peck(t, x, { target_spaceduck_id: ag.spaceduck_id });
    expect(again.status).toBe(404);
    expect((await peck(t, { beak_key: ag.beak_key }, { target_email: x.email })).status).toBe(401);
  });
});

describe('contract surface', () => {
  it('documents every peck route in the OpenAPI document from the validating schemas', async () => {
    const doc = (await t.api('GET', '/beak/openapi.json')).json;
    for (const [path, method] of [['/beak/peck', 'post'], ['/beak/peck/request', 'post'], ['/beak/peck/approve', 'post'], ['/beak/peck/deny', 'post'],
      ['/beak/peck/reject', 'post'], ['/beak/peck/history', 'get'], ['/beak/peck/list', 'post'], ['/beak/connections', 'get'], ['/beak/unpeck', 'post']] as const) {
      expect(doc.paths?.[path]?.[method], `${method} ${path}`).toBeTruthy();
    }
    const approve = doc.paths['/beak/peck/approve'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(approve.properties)).toEqual(expect.arrayContaining(['peck_id', 'otp', 'code', 'duckling_id', 'beak_key', 'action']));
  });
});
