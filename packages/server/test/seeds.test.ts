// Every example of the seed documents (../shared/seeds), replayed in order with their own
// bodies, against the real server: a user copying from the original docs must succeed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, uniq, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => { t = await makeApp(); });
afterAll(async () => { await t.close(); });

describe('seed 000 — the Python SDK playground, in order', () => {
  const s: Record<string, string> = {};

  it('1. hatch: signup + verify with action fields, display name and phone', async () => {
    s.email = `${uniq('your')}@email.com`;
    const r = await t.api('POST', '/beak/signup', { body: { action: 'signup', email: s.email, display_name: 'MyDuckling', phone: '+1234567890' } });
    expect(r.status).toBe(200);
    const v = await t.api('POST', '/beak/verify', { body: { action: 'verify', email: s.email, otp: await t.otp(s.email) } });
    expect(v.status).toBe(200);
    expect(v.json.beak_key).toMatch(/^bk_/);
    expect(v.json.duckling_id).toMatch(/^dk_/);
    expect(v.json.cert_id).toMatch(/^cert_/);
    expect(v.json.display_name).toBe('MyDuckling');
    Object.assign(s, { beak_key: v.json.beak_key, duckling_id: v.json.duckling_id, cert_id: v.json.cert_id });
  });

  it('2. verify a birth certificate with POST /beak/cert, no auth', async () => {
    const r = await t.api('POST', '/beak/cert', { body: { action: 'verify', cert_id: s.cert_id } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ valid: true, cert_id: s.cert_id, duckling_id: s.duckling_id, display_name: 'MyDuckling', trust_tier: 'T1' });
    expect(r.json.issued_at).toMatch(/Z$/);
  });

  it('3 + 4. peck by target email with the Beak Key as Bearer; the target approves with the emailed OTP', async () => {
    const target = await t.hatch();
    const r = await t.api('POST', '/beak/peck', {
      token: s.beak_key, body: { action: 'peck', requester_id: s.duckling_id, target_email: target.email, purpose: 'Agent fleet coordination' },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'pending', target_email: target.email, message: 'Peck sent. Waiting for target approval.' });
    expect(r.json.peck_id).toMatch(/^peck_/);
    const a = await t.api('POST', '/beak/peck/approve', {
      token: target.beak_key, body: { peck_id: r.json.peck_id, duckling_id: target.duckling_id, otp: await t.otp(target.email) },
    });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ status: 'bonded', peck_id: r.json.peck_id, requester_id: s.duckling_id, target_id: target.duckling_id });
    expect(a.json.connection_id).toMatch(/^conn_/);
    expect(a.json.bonded_at).toMatch(/Z$/);
  });

  it('5. pulse from the duckling with meta', async () => {
    const r = await t.api('POST', '/beak/pulse', {
      token: s.beak_key, body: { duckling_id: s.duckling_id, status: 'active', meta: { agent_version: '1.0.0', uptime_seconds: 42 } },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'ok', duckling_id: s.duckling_id, active_bonds: 1, trust_tier: 'T1' });
    expect(r.json.last_seen).toMatch(/Z$/);
  });

  it('6. rotate the Beak Key: new_beak_key, the old key refused at once', async () => {
    const r = await t.api('POST', '/beak/rotate', { token: s.beak_key, body: { action: 'rotate', duckling_id: s.duckling_id } });
    expect(r.status).toBe(200);
    expect(r.json.new_beak_key).toMatch(/^bk_/);
    expect(r.json).toMatchObject({ duckling_id: s.duckling_id });
    expect(r.json.rotated_at).toMatch(/Z$/);
    expect(r.json.message).toBeTruthy();
    expect((await t.api('POST', '/beak/pulse', { token: s.beak_key, body: {} })).status).toBe(401);
    expect((await t.api('POST', '/beak/pulse', { token: r.json.new_beak_key, body: {} })).status).toBe(200);
  });
});

describe('seed 001 — the developer hub', () => {
  it('hatch "My Agent", auth, peck with target/action/payload, metrics', async () => {
    const email = `${uniq('you')}@example.com`;
    const h = await t.api('POST', '/beak/hatch', { body: { email, display_name: `My Agent ${uniq('')}`.slice(0, 32) } });
    expect(h.status).toBe(200);
    // The hub signs in by password: set one through recovery (the hatch had none).
    await t.api('POST', '/beak/forgot', { body: { email } });
    expect((await t.api('POST', '/beak/reset', { body: { email, code: await t.otp(email), password: 'a long password' } })).status).toBe(200);
    const auth = await t.api('POST', '/beak/auth', { body: { email, password: 'a long password' } });
    expect(auth.status).toBe(200);
    const target = await t.hatch();
    const p = await t.api('POST', '/beak/peck', { token: auth.json.access_token, body: { target: target.duckling_id, action: 'query', payload: {} } });
    expect(p.status).toBe(200);
    expect(p.json.status).toBe('pending');
    const m = await t.api('GET', '/beak/metrics');
    expect(m.json).toEqual(expect.objectContaining({ ducklings: expect.any(Number), birth_certificates: expect.any(Number), connections: expect.any(Number) }));
  });
});

describe('seed 002 — the OpenAPI page', () => {
  it('password signup with request_id, verify with code, sign in, status, forgot/reset, sign out', async () => {
    const email = `${uniq('agent')}@example.com`;
    const s = await t.api('POST', '/beak/signup', { body: { email, password: 'securepassword123', request_id: uniq('optional-key') } });
    expect(s.status).toBe(200);
    const v = await t.api('POST', '/beak/verify', { body: { email, code: await t.otp(email) } });
    expect(v.status).toBe(200);
    const si = await t.api('POST', '/beak/signin', { body: { email, password: 'securepassword123' } });
    expect(si.status).toBe(200);
    expect(si.json).toMatchObject({ duckling_id: v.json.duckling_id, email, trust_tier: 'T1' });
    expect(si.json.access_token).toMatch(/^eyJ/);
    expect((await t.api('POST', '/beak/status', { body: { email } })).status).toBe(200);
    expect((await t.api('POST', '/beak/forgot', { body: { email } })).status).toBe(200);
    const rs = await t.api('POST', '/beak/reset', { body: { email, code: await t.otp(email), password: 'newsecurepassword' } });
    expect(rs.status).toBe(200);
    const again = await t.api('POST', '/beak/signin', { body: { email, password: 'newsecurepassword' } });
    expect((await t.api('POST', '/beak/signout', { token: again.json.access_token })).status).toBe(200);
    expect((await t.api('GET', '/beak/profile', { token: again.json.access_token })).status).toBe(401);
  });

  it('agents: register with duckling_id/AGENT/parent_id, list by POST /beak/spaceducks, pulse with body beak_key, rotate', async () => {
    const d = await t.hatch();
    const parent = await t.api('POST', '/beak/register', { token: d.token, body: { duckling_id: d.duckling_id, agent_name: 'MyAgent', agent_type: 'AGENT' } });
    expect(parent.status).toBe(200);
    const child = await t.api('POST', '/beak/register', {
      token: d.token, body: { duckling_id: d.duckling_id, agent_name: 'MyAgent child', agent_type: 'BOT', parent_id: parent.json.spaceduck_id },
    });
    expect(child.status).toBe(200);
    expect(child.json.parent_id).toBe(parent.json.spaceduck_id);
    const list = await t.api('POST', '/beak/spaceducks', { token: d.token, body: { duckling_id: d.duckling_id } });
    expect(list.status).toBe(200);
    expect(list.json.spaceducks.map((x: { spaceduck_id: string }) => x.spaceduck_id)).toEqual(expect.arrayContaining([parent.json.spaceduck_id, child.json.spaceduck_id]));
    const pulse = await t.api('POST', '/beak/pulse', { body: { spaceduck_id: parent.json.spaceduck_id, beak_key: parent.json.beak_key } });
    expect(pulse.status).toBe(200);
    const rot = await t.api('POST', '/beak/rotate', { token: parent.json.beak_key });
    expect(rot.status).toBe(200);
    expect(rot.json).toMatchObject({ spaceduck_id: parent.json.spaceduck_id });
    expect(rot.json.beak_key).toMatch(/^bk_/);
  });

  it('pecks: an agent pecks by requester_spaceduck_id; the target approves with beak_key in the body, or denies', async () => {
    const owner = await t.hatch();
    const agent = (await t.api('POST', '/beak/agent/register', { token: owner.token, body: { agent_name: 'Requester' } })).json;
    const target = await t.hatch();
    const p = await t.api('POST', '/beak/peck', { token: agent.beak_key, body: { requester_spaceduck_id: agent.spaceduck_id, target_email: target.email, purpose: 'API integration' } });
    expect(p.status).toBe(200);
    expect(p.json.peck_id).toMatch(/^peck_/);
    const a = await t.api('POST', '/beak/peck/approve', { body: { peck_id: p.json.peck_id, beak_key: target.beak_key, action: 'approve' } });
    expect(a.status).toBe(200);
    expect(a.json.status).toBe('bonded');
    const other = await t.hatch();
    const p2 = await t.api('POST', '/beak/peck', { token: agent.beak_key, body: { requester_spaceduck_id: agent.spaceduck_id, target_email: other.email } });
    const dn = await t.api('POST', '/beak/peck/deny', { token: other.token, body: { peck_id: p2.json.peck_id, duckling_id: other.duckling_id } });
    expect(dn.status).toBe(200);
    expect(dn.json).toMatchObject({ denied: true, status: 'rejected' });
  });
});

describe('seed 003 — webhook-style calls with ?beak_key=', () => {
  it('a pulse authenticated by the query parameter', async () => {
    const d = await t.hatch();
    const r = await t.api('POST', `/beak/pulse?beak_key=${d.beak_key}`, { body: { status: 'active' } });
    expect(r.status).toBe(200);
  });
});

describe('seed 004 — the curl reference, route by route', () => {
  it('account: signup, signin by emailed code, verify-email, profile, profile/update, name-change, signout', async () => {
    const email = `${uniq('duck')}@example.com`;
    expect((await t.api('POST', '/beak/signup', { body: { email, display_name: uniq('quackling') } })).status).toBe(200);
    const signupCode = await t.otp(email);
    // `{ email }` alone mails a sign-in code; a T0 account may sign in to verify.
    t.clock.advance(61_000);
    expect((await t.api('POST', '/beak/signin', { body: { email } })).status).toBe(200);
    const si = await t.api('POST', '/beak/signin', { body: { email, otp: await t.otp(email) } });
    expect(si.status).toBe(200);
    expect(si.json.trust_tier).toBe('T0');
    const token = si.json.token;
    const ve = await t.api('POST', '/beak/verify-email', { token, body: { otp: signupCode } });
    expect(ve.status).toBe(200);
    expect(ve.json.trust_tier).toBe('T1');
    const prof = await t.api('GET', '/beak/profile', { token });
    expect(prof.status).toBe(200);
    expect(prof.json).toEqual(expect.objectContaining({ trust_tier: 'T1', egg_count: 0, cert_id: expect.stringMatching(/^cert_/) }));
    expect((await t.api('POST', '/beak/profile/update', { token, body: { display_name: uniq('new_handle') } })).status).toBe(200);
    const other = await t.hatch();
    expect((await t.api('POST', '/beak/name-change', { token: other.token, body: { new_display_name: uniq('quack_v2') } })).status).toBe(200);
    expect((await t.api('POST', '/beak/passkey/register', { token })).json.options).toBeTruthy();
    expect((await t.api('POST', '/beak/passkey/login', { body: {} })).json.options).toBeTruthy();
    expect((await t.api('POST', '/beak/signout', { token })).status).toBe(200);
  });

  it('directory, certificates, audit', async () => {
    const d = await t.hatch();
    const dir = await t.api('GET', '/beak/spaceducks?limit=20&tier=T1');
    expect(dir.status).toBe(200);
    expect(Array.isArray(dir.json.spaceducks)).toBe(true);
    expect((await t.api('GET', '/beak/cert/view', { token: d.token })).status).toBe(200);
    expect((await t.api('POST', '/beak/cert/issue', { token: d.token })).json.cert_id).toBe(d.cert_id);
    expect((await t.api('GET', `/beak/cert/verify?cert_id=${d.cert_id}`)).json.valid).toBe(true);
    expect((await t.api('POST', '/beak/cert/revoke', { token: d.token, body: { reason: 'operator_request' } })).json.status).toBe('revoked');
    const audit = await t.api('GET', '/beak/audit?limit=50', { token: d.token });
    expect(audit.status).toBe(200);
    expect(audit.json.entries.map((e: { event_type: string }) => e.event_type)).toEqual(expect.arrayContaining(['cert.revoked']));
  });

  it('pecks: request by target_duckling_id with action/scope, approve by session, reject with reason, history', async () => {
    const a = await t.hatch(), b = await t.hatch();
    const r = await t.api('POST', '/beak/peck/request', { token: a.token, body: { target_duckling_id: b.duckling_id, action: 'read:profile', scope: 'limited' } });
    expect(r.status).toBe(200);
    expect((await t.api('POST', '/beak/peck/approve', { token: b.token, body: { peck_id: r.json.peck_id } })).json.status).toBe('bonded');
    const c = await t.hatch();
    const r2 = await t.api('POST', '/beak/peck/request', { token: c.token, body: { target_duckling_id: b.duckling_id, action: 'read:profile', scope: 'limited' } });
    const rj = await t.api('POST', '/beak/peck/reject', { token: b.token, body: { peck_id: r2.json.peck_id, reason: 'not_authorised' } });
    expect(rj.json).toMatchObject({ status: 'rejected', reason: 'not_authorised' });
    const h = await t.api('GET', '/beak/peck/history?limit=20', { token: b.token });
    expect(h.json.pecks.length).toBe(2);
  });

  it('agents: register, list, bond with X-Beak-Key, key/rotate, deregister', async () => {
    const d = await t.hatch();
    const reg = await t.api('POST', '/beak/agent/register', { token: d.token, body: { agent_name: 'MyBot', agent_type: 'assistant', capabilities: ['read:profile', 'peck:request'] } });
    expect(reg.status).toBe(200);
    expect((await t.api('GET', '/beak/agent/list', { token: d.token })).json.agents).toHaveLength(1);
    const bond = await t.api('POST', '/beak/agent/bond', { headers: { 'x-beak-key': reg.json.beak_key }, body: { agent_id: reg.json.agent_id, handshake_token: reg.json.handshake_token } });
    expect(bond.json.status).toBe('bonded');
    const kr = await t.api('POST', '/beak/key/rotate', { token: d.token, body: { agent_id: reg.json.agent_id } });
    expect(kr.json.beak_key).toMatch(/^bk_/);
    expect((await t.api('POST', '/beak/agent/deregister', { token: d.token, body: { agent_id: reg.json.agent_id } })).status).toBe(200);
  });

  it('platform and SSO', async () => {
    expect((await t.api('GET', '/beak/metrics')).status).toBe(200);
    expect((await t.api('GET', '/beak/system/status')).status).toBe(200);
    expect((await t.api('GET', '/beak/')).status).toBe(200);
    expect((await t.api('POST', '/beak/newsletter/subscribe', { body: { email: 'duck@example.com', partner_type: 'agency' } })).json.subscribed).toBe(true);
    const d = await t.hatch();
    const issue = await t.api('POST', '/beak/sso/issue', { token: d.token, body: { target_domain: 'duckcontrol.com', scope: 'read' } });
    expect(issue.status).toBe(200);
    const v = await t.api('GET', `/beak/sso/verify?token=${encodeURIComponent(issue.json.sso_token)}`);
    expect(v.json.valid).toBe(true);
    const issue2 = await t.api('POST', '/beak/sso/issue', { token: d.token, body: { target_domain: 'duckcontrol.com', scope: 'read' } });
    const br = await t.api('POST', '/beak/sso/bridge', { token: d.token, body: { sso_token: issue2.json.sso_token, target: 'mission-control' } });
    expect(br.json).toMatchObject({ bridged: true, target: 'mission-control' });
  });
});
