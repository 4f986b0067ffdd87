// The foundation over HTTP: envelope for every failure, request ids, platform routes, OpenAPI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, isEnvelope, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => { t = await makeApp(); });
afterAll(async () => { await t.close(); });

describe('platform routes', () => {
  it('GET /beak/ names the service with version and timestamp', async () => {
    const r = await t.api('GET', '/beak/');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ service: 'spaceduck', galaxy: '1.2' });
    expect(r.json.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.json.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('GET /beak/ tells the time of the request, to the second (its body is kept for one second)', async () => {
    const was = t.clock.now();
    t.clock.set(Date.parse('2026-11-23T12:00:00.100Z'));
    expect((await t.api('GET', '/beak/')).json.timestamp).toBe('2026-11-23T12:00:00Z');
    t.clock.set(Date.parse('2026-11-23T12:00:00.900Z'));
    expect((await t.api('GET', '/beak/')).json.timestamp).toBe('2026-11-23T12:00:00Z');
    t.clock.set(Date.parse('2026-11-23T12:00:01.000Z'));
    expect((await t.api('GET', '/beak/')).json.timestamp).toBe('2026-11-23T12:00:01Z');
    t.clock.set(Date.parse('2026-11-23T11:59:59.000Z')); // a clock set back is followed too
    expect((await t.api('GET', '/beak/')).json.timestamp).toBe('2026-11-23T11:59:59Z');
    t.clock.set(was);
  });

  it('puts X-Request-Id on every response, echoing a sane client id', async () => {
    const a = await t.api('GET', '/beak/');
    expect(a.headers['x-request-id']).toMatch(/^req_/);
    const b = await t.api('GET', '/beak/nope', { headers: { 'x-request-id': 'client-123' } });
    expect(b.headers['x-request-id']).toBe('client-123');
    expect(b.json.request_id).toBe('client-123');
    const c = await t.api('GET', '/beak/', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(c.headers['x-request-id']).toMatch(/^req_/);
  });

  it('metrics count real data, and the waitlist is idempotent', async () => {
    const before = await t.api('GET', '/beak/metrics');
    expect(before.status).toBe(200);
    for (const k of ['ducklings', 'registered', 'eggs', 'birth_certificates', 'certified', 'connections', 'bonded', 'space_ducks', 'bonded_agents', 'agents_alive', 'pecks_completed', 'domains']) {
      expect(typeof before.json[k]).toBe('number');
    }
    const s1 = await t.api('POST', '/beak/newsletter/subscribe', { body: { email: 'Wait@Example.com', partner_type: 'agency' } });
    const s2 = await t.api('POST', '/beak/newsletter/subscribe', { body: { email: 'wait@example.com' } });
    expect([s1.status, s2.status]).toEqual([200, 200]);
    expect(s1.json).toEqual({ subscribed: true });
    const after = await t.api('GET', '/beak/metrics');
    expect(after.json.eggs).toBe(before.json.eggs + 1);
    await t.hatch();
    const hatched = await t.api('GET', '/beak/metrics');
    expect(hatched.json.ducklings).toBe(before.json.ducklings + 1);
    expect(hatched.json.registered).toBe(before.json.registered + 1);
    expect(hatched.json.birth_certificates).toBe(before.json.birth_certificates + 1);
    expect(hatched.json.domains).toBe(1);
  });

  it('system/status probes the database', async () => {
    const r = await t.api('GET', '/beak/system/status');
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('operational');
    expect(r.json.components.database.status).toBe('operational');
    expect(typeof r.json.api_latency_ms).toBe('number');
    expect(r.json.components.webhooks).toHaveProperty('backlog');
    expect(r.json.lambda_version).toBeTruthy();
  });

  it('pageview answers 202', async () => {
    const r = await t.api('POST', '/beak/pageview', { body: { page: '/index.html', referrer: 'https://example.org' } });
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ recorded: true });
  });

  it('support contact opens a ticket and mails the support address', async () => {
    const r = await t.api('POST', '/beak/support/contact', { body: { email: 'help@example.com', subject: 'Eggs', message: 'My duck will not hatch.' } });
    expect(r.status).toBe(200);
    expect(r.json.ticket_id).toMatch(/^tkt_/);
    const mail = await t.api('GET', `/beak/dev/mail?to=${encodeURIComponent(t.config.supportEmail)}`);
    expect(mail.json.messages[0].subject).toContain(r.json.ticket_id);
    expect(mail.json.messages[0].text).toContain('My duck will not hatch.');
  });
});

describe('every failure is the error envelope', () => {
  it('unknown route: 404 E4040', async () => {
    const r = await t.api('GET', '/beak/no-such-route');
    expect(r.status).toBe(404);
    expect(isEnvelope(r, 'E4040')).toBe(true);
  });

  it('wrong method: 405 with Allow', async () => {
    const r = await t.api('DELETE', '/beak/metrics');
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET');
    expect(isEnvelope(r, 'E4050')).toBe(true);
  });

  it('malformed JSON: 400 E4000, nothing stored', async () => {
    const before = (await t.api('GET', '/beak/metrics')).json.eggs;
    const r = await t.api('POST', '/beak/newsletter/subscribe', { raw: '{"email": ' });
    expect(r.status).toBe(400);
    expect(isEnvelope(r, 'E4000')).toBe(true);
    expect(r.json.message).toMatch(/JSON/);
    expect((await t.api('GET', '/beak/metrics')).json.eggs).toBe(before);
  });

  it('body over 64 KiB: 413 E4130', async () => {
    const r = await t.api('POST', '/beak/newsletter/subscribe', { raw: JSON.stringify({ email: 'a@b.co', pad: 'x'.repeat(70_000) }) });
    expect(r.status).toBe(413);
    expect(isEnvelope(r, 'E4130')).toBe(true);
  });

  it('wrong content type: 415 envelope', async () => {
    const r = await t.api('POST', '/beak/newsletter/subscribe', { raw: 'email=a@b.co', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(415);
    expect(isEnvelope(r, 'E4150')).toBe(true);
  });

  it('invalid field: 400 E4000 with field details', async () => {
    const r = await t.api('POST', '/beak/newsletter/subscribe', { body: { email: 'not-an-email' } });
    expect(r.status).toBe(400);
    expect(isEnvelope(r, 'E4000')).toBe(true);
    expect(r.json.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.email' })]));
  });

  it('missing field: details name it', async () => {
    const r = await t.api('POST', '/beak/support/contact', { body: { email: 'a@b.co' } });
    expect(r.status).toBe(400);
    expect(r.json.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.message' })]));
  });

  it('error bodies never carry a stack trace', async () => {
    const r = await t.api('POST', '/beak/newsletter/subscribe', { raw: '{"email": [}' });
    expect(r.text).not.toMatch(/at .*\.(js|ts):\d+/);
  });
});

describe('machine-readable contract', () => {
  it('serves OpenAPI 3.1 with the routes and their schemas', async () => {
    const r = await t.api('GET', '/beak/openapi.json');
    expect(r.status).toBe(200);
    expect(r.json.openapi).toBe('3.1.0');
    expect(r.json.paths['/beak/newsletter/subscribe'].post.requestBody).toBeTruthy();
    expect(r.json.paths['/beak/signup']).toBeTruthy();
  });

  it('browsable docs at /docs', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(r.statusCode);
  });

  it('JWKS publishes public Ed25519 keys only', async () => {
    const r = await t.api('GET', '/.well-known/jwks.json');
    expect(r.json.keys.length).toBeGreaterThanOrEqual(1);
    for (const k of r.json.keys) { expect(k.d).toBeUndefined(); expect(k.crv).toBe('Ed25519'); }
  });
});

describe('idempotent creates', () => {
  it('the same Idempotency-Key and body returns the first response; a different body is a conflict', async () => {
    const body = { email: 'idem@example.com', message: 'once please' };
    const headers = { 'idempotency-key': 'idem-1' };
    const a = await t.api('POST', '/beak/support/contact', { body, headers });
    const b = await t.api('POST', '/beak/support/contact', { body, headers });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.json.ticket_id).toBe(a.json.ticket_id);
    expect(b.headers['idempotent-replayed']).toBe('true');
    const stored = await t.app.deps.db.kysely.selectFrom('idempotency_keys').select('body').execute();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.some((r) => r.body.includes(a.json.ticket_id))).toBe(false); // sealed at rest
    const c = await t.api('POST', '/beak/support/contact', { body: { ...body, message: 'other' }, headers });
    expect(c.status).toBe(409);
    expect(isEnvelope(c, 'E4090')).toBe(true);
    const mails = await t.api('GET', `/beak/dev/mail?to=${encodeURIComponent(t.config.supportEmail)}`);
    expect(mails.json.messages.filter((m: { text: string }) => m.text.includes('once please'))).toHaveLength(1);
  });

  it('body request_id works like the header (seed 002), and expires after 24 h', async () => {
    const body = { email: `${Date.now()}@example.com`, password: 'a long enough password', request_id: 'rq-abc' };
    const a = await t.api('POST', '/beak/signup', { body });
    const b = await t.api('POST', '/beak/signup', { body });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.json.duckling_id).toBe(a.json.duckling_id);
    t.clock.advance(24 * 3600_000 + 1000);
    const c = await t.api('POST', '/beak/signup', { body });
    expect(c.status).toBe(409); // a real second attempt now: the email exists
  });
});
