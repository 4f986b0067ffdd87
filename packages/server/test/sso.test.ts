// Cross-domain SSO over HTTP (CONTRACT §7): single use, five-minute expiry, the domain
// allow-list, and bridged sessions that only their target accepts.
import * as jose from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, isEnvelope, type Hatched, type TestApp } from './harness.js';

let t: TestApp;
let a: Hatched;
let b: Hatched;

beforeAll(async () => {
  t = await makeApp();
  [a, b] = await Promise.all([t.hatch(), t.hatch()]);
});
afterAll(async () => { await t?.close(); });

const issue = (who: Hatched, body: Record<string, unknown> = { target_domain: 'duckcontrol.com', scope: 'read' }) =>
  t.api('POST', '/beak/sso/issue', { token: who.token, body });
const verify = (token: string) => t.api('GET', `/beak/sso/verify?token=${encodeURIComponent(token)}`);
const bridge = (who: Hatched, sso_token: string, target = 'mission-control') =>
  t.api('POST', '/beak/sso/bridge', { token: who.token, body: { sso_token, target } });

describe('SSO tokens', () => {
  it('are single use: the first verify says who, the second valid:false', async () => {
    const r = await issue(a);
    expect(r.status).toBe(200);
    expect(r.json.sso_token).toMatch(/^sso_[0-9A-Za-z]{43}$/);
    expect(r.json).toMatchObject({ target_domain: 'duckcontrol.com', scope: 'read' });
    expect(Date.parse(r.json.expires_at)).toBe(Math.floor((t.clock.now() + 5 * 60_000) / 1000) * 1000);

    const v = await verify(r.json.sso_token);
    expect(v.status).toBe(200);
    expect(v.headers['cache-control']).toBe('no-store');
    expect(v.json).toEqual({
      valid: true, duckling_id: a.duckling_id, display_name: a.display_name, trust_tier: 'T1',
      target_domain: 'duckcontrol.com', scope: 'read', expires_at: r.json.expires_at,
    });
    const again = await verify(r.json.sso_token);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ valid: false, reason: 'used' });
    expect(again.json.duckling_id).toBeUndefined();
  });

  it('are redeemed exactly once under concurrent verifies', async () => {
    const { sso_token } = (await issue(a)).json;
    const answers = await Promise.all([1, 2, 3, 4].map(() => verify(sso_token)));
    expect(answers.filter((r) => r.json.valid === true)).toHaveLength(1);
    expect(answers.every((r) => r.status === 200)).toBe(true);
  });

  it('expire after five minutes', async () => {
    const early = (await issue(a)).json.sso_token;
    const late = (await issue(a)).json.sso_token;
    const toBridge = (await issue(a)).json.sso_token;
    t.clock.advance(5 * 60_000 - 1000);
    expect((await verify(early)).json.valid).toBe(true);
    t.clock.advance(1000);
    expect((await verify(late)).json).toMatchObject({ valid: false, reason: 'expired' });
    const br = await bridge(a, toBridge);
    expect(br.status).toBe(400);
    expect(isEnvelope(br, 'E4006')).toBe(true);
  });

  it('unknown, malformed and missing tokens', async () => {
    expect((await verify('SSO-abc')).json).toMatchObject({ valid: false, reason: 'unknown' });
    expect((await verify(`sso_${'A'.repeat(43)}`)).json).toMatchObject({ valid: false, reason: 'unknown' });
    expect(isEnvelope(await t.api('GET', '/beak/sso/verify'), 'E4000')).toBe(true);
  });

  it('need a credential to issue and a sane domain and scope', async () => {
    expect(isEnvelope(await t.api('POST', '/beak/sso/issue', { body: { target_domain: 'duckcontrol.com' } }), 'E4001')).toBe(true);
    for (const target_domain of ['not a domain', 'https://duckcontrol.com', '', 'a..b', '-x.com']) {
      expect(isEnvelope(await issue(a, { target_domain }), 'E4000')).toBe(true);
    }
    expect(isEnvelope(await issue(a, { target_domain: 'duckcontrol.com', scope: 'read "write"' }), 'E4000')).toBe(true);
    const bare = await issue(a, { target_domain: 'DuckControl.COM' });
    expect(bare.json).toMatchObject({ target_domain: 'duckcontrol.com', scope: null });
  });

  it('never put the token in the audit log', async () => {
    const { sso_token } = (await issue(a)).json;
    await verify(sso_token);
    const audit = await t.api('GET', '/beak/audit', { token: a.token });
    const types = audit.json.entries.map((e: { event_type: string }) => e.event_type);
    expect(types).toEqual(expect.arrayContaining(['sso.issued', 'sso.verified']));
    expect(audit.text).not.toContain(sso_token);
  });
});

describe('the SPACEDUCK_SSO_DOMAINS allow-list', () => {
  it('admits listed domains (and *.subdomains) and refuses others with 400, creating nothing', async () => {
    const u = await makeApp({ SPACEDUCK_SSO_DOMAINS: 'duckcontrol.com, *.spaceduck.dev' });
    try {
      const d = await u.hatch();
      const go = (target_domain: string) => u.api('POST', '/beak/sso/issue', { token: d.token, body: { target_domain } });
      expect((await go('duckcontrol.com')).status).toBe(200);
      expect((await go('app.spaceduck.dev')).status).toBe(200);
      for (const refused of ['evil.com', 'spaceduck.dev', 'duckcontrol.com.evil.com', 'xduckcontrol.com']) {
        const r = await go(refused);
        expect(r.status).toBe(400);
        expect(isEnvelope(r, 'E4000')).toBe(true);
        expect(r.json.details).toEqual([{ field: 'body.target_domain', message: 'is not in the allowed SSO domains' }]);
      }
      const audit = await u.api('GET', '/beak/audit', { token: d.token });
      expect(audit.json.entries.filter((e: { event_type: string }) => e.event_type === 'sso.issued')).toHaveLength(2);
    } finally {
      await u.close();
    }
  });
});

describe('bridging', () => {
  it('gives the same duckling a session for the target only, refused as a session here', async () => {
    const { sso_token } = (await issue(a)).json;
    const r = await bridge(a, sso_token);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ bridged: true, target: 'mission-control', audience: 'sso:mission-control', token_type: 'Bearer' });
    expect(r.json.expires_at).toMatch(/Z$/);

    const jwks = jose.createLocalJWKSet((await t.api('GET', '/.well-known/jwks.json')).json);
    const { payload } = await jose.jwtVerify(r.json.access_token, jwks, {
      audience: 'sso:mission-control', issuer: t.config.publicUrl, currentDate: new Date(t.clock.now()),
    });
    expect(payload.sub).toBe(a.duckling_id);
    await expect(jose.jwtVerify(r.json.access_token, jwks, { audience: 'spaceduck', currentDate: new Date(t.clock.now()) })).rejects.toThrow();

    // Our own API refuses it: its audience is not ours.
    for (const [method, url] of [['GET', '/beak/audit'], ['GET', '/beak/cert/view'], ['POST', '/beak/sso/issue']] as const) {
      const refused = await t.api(method, url, { token: r.json.access_token, body: method === 'POST' ? { target_domain: 'duckcontrol.com' } : undefined });
      expect(refused.status).toBe(401);
      expect(isEnvelope(refused, 'E4001')).toBe(true);
    }

    // Bridging spent the token.
    expect((await verify(sso_token)).json).toMatchObject({ valid: false, reason: 'used' });
    const twice = await bridge(a, sso_token);
    expect(twice.status).toBe(409);
    expect(isEnvelope(twice, 'E4090')).toBe(true);
    const audit = await t.api('GET', '/beak/audit', { token: a.token });
    expect(audit.json.entries.map((e: { event_type: string }) => e.event_type)).toContain('sso.bridged');
    expect(audit.text).not.toContain(r.json.access_token);
  });

  it("refuses another duckling's token without spending it", async () => {
    const { sso_token } = (await issue(a)).json;
    const foreign = await bridge(b, sso_token);
    expect(foreign.status).toBe(403);
    expect(isEnvelope(foreign, 'E4030')).toBe(true);
    expect((await verify(sso_token)).json).toMatchObject({ valid: true, duckling_id: a.duckling_id });
  });

  it("refuses an agent's key: SSO speaks for the human operator", async () => {
    const reg = await t.api('POST', '/beak/agent/register', { token: a.token, body: { agent_name: 'SsoBot' } });
    expect(reg.status).toBe(200);
    const byAgent = await t.api('POST', '/beak/sso/issue', { token: reg.json.beak_key, body: { target_domain: 'duckcontrol.com' } });
    expect(byAgent.status).toBe(403);
    expect(isEnvelope(byAgent, 'E4030')).toBe(true);
    const { sso_token } = (await issue(a)).json;
    const bridged = await t.api('POST', '/beak/sso/bridge', { token: reg.json.beak_key, body: { sso_token, target: 'mission-control' } });
    expect(isEnvelope(bridged, 'E4030')).toBe(true);
    expect((await verify(sso_token)).json.valid).toBe(true);
  });

  it('refuses unknown tokens, bad targets and anonymous callers', async () => {
    expect(isEnvelope(await bridge(a, 'SSO-abc'), 'E4040')).toBe(true);
    expect(isEnvelope(await bridge(a, `sso_${'B'.repeat(43)}`), 'E4040')).toBe(true);
    const { sso_token } = (await issue(a)).json;
    expect(isEnvelope(await bridge(a, sso_token, 'has spaces'), 'E4000')).toBe(true);
    expect(isEnvelope(await t.api('POST', '/beak/sso/bridge', { body: { sso_token, target: 'mission-control' } }), 'E4001')).toBe(true);
    expect(isEnvelope(await t.api('POST', '/beak/sso/bridge', { token: a.token, body: { target: 'mission-control' } }), 'E4000')).toBe(true);
    // None of that spent it.
    expect((await bridge(a, sso_token)).status).toBe(200);
  });
});
