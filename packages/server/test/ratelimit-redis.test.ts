// Rate limits shared through Redis (runs when TEST_REDIS_URL is set): two nodes of one
// deployment — two apps on the same database and Redis — enforce one bucket exactly.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app.js';
import { TEST_REDIS_URL, type TestApp } from './harness.js';
import { admitted, appWithLimits, signupBody, subscribeBody, freshIp, hatchAt, header, hit, type Duckling } from './ratelimit-helpers.js';

describe.skipIf(!TEST_REDIS_URL)('rate limits in Redis', () => {
  let a: TestApp;
  let b: App;
  let redis: Redis;
  let duck: Duckling;

  beforeAll(async () => {
    a = await appWithLimits({});
    // The second node: same configuration, database (schema) and clock, its own process state.
    b = await buildApp(a.config, { clock: a.clock, schema: a.schema, logger: false });
    await b.ready();
    redis = new Redis(TEST_REDIS_URL!);
    duck = await hatchAt(a);
  });
  afterAll(async () => {
    redis?.disconnect();
    await b?.close();
    await a?.close();
  });

  const node = (i: number) => (i % 2 === 0 ? a : { app: b });

  it('requests split across two nodes hit the limit at the configured total', async () => {
    expect(a.app.deps.ratelimit.status()).toBe('ok');
    expect(b.deps.ratelimit.status()).toBe('ok');
    // cert class, T1: 3/min for the principal, wherever it calls
    let i = 0;
    const cert = await admitted(() => hit(node(i++), 'GET', '/beak/cert/view', { token: duck.token, ip: freshIp() }), 3);
    expect(cert.n).toBe(3);
    expect(cert.statuses).toEqual([200, 200, 200]);
    expect((await hit(node(i++), 'GET', '/beak/cert/view', { token: duck.token })).status).toBe(429);

    // signup group, per IP: burst 5 in total, and each node reports the shared remainder
    const ip = freshIp();
    const seen: string[] = [];
    let j = 0;
    const signup = await admitted(async () => {
      const r = await hit(node(j++), 'POST', '/beak/signup', { ip, body: signupBody() });
      seen.push(header(r, 'x-ratelimit-remaining'));
      return r;
    }, 5);
    expect(signup.n).toBe(5);
    expect(seen).toEqual(['4', '3', '2', '1', '0', '0']);

    // refill is shared too: 6 s later exactly one more, on either node
    a.clock.advance(6000);
    expect((await hit({ app: b }, 'POST', '/beak/signup', { ip, body: signupBody() })).status).toBe(200);
    expect((await hit(a, 'POST', '/beak/signup', { ip, body: signupBody() })).status).toBe(429);
  });

  it('keeps buckets in Redis under a per-deployment namespace, expiring once they would be full', async () => {
    const ip = freshIp();
    await hit(a, 'POST', '/beak/newsletter/subscribe', { ip, body: subscribeBody() });
    const keys = await redis.keys(`spaceduck:rl:*:group:newsletter:ip:${ip}`);
    expect(keys).toHaveLength(1);
    const [, , namespace] = keys[0]!.split(':');
    expect(namespace).toMatch(/^[0-9a-f]{16}$/);
    // newsletter: 5/min, burst 2 → one token short is 12 s from full (+1 s of slack)
    const ttl = await redis.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(12_000);
    expect(ttl).toBeLessThanOrEqual(13_000);

    // another deployment on the same Redis (its own database) has its own buckets
    const other = await appWithLimits({});
    try {
      expect((await admitted(() => hit(other, 'POST', '/beak/newsletter/subscribe', { ip, body: subscribeBody() }), 2)).n).toBe(2);
      expect((await hit(a, 'POST', '/beak/newsletter/subscribe', { ip, body: subscribeBody() })).status).toBe(200);
      expect((await hit(a, 'POST', '/beak/newsletter/subscribe', { ip, body: subscribeBody() })).status).toBe(429);
    } finally {
      await other.close();
    }
  });

  it('re-sends the script when Redis has forgotten it', async () => {
    const ip = freshIp();
    expect((await hit(a, 'POST', '/beak/newsletter/subscribe', { ip, body: subscribeBody() })).status).toBe(200);
    await redis.script('FLUSH');
    expect((await hit({ app: b }, 'POST', '/beak/newsletter/subscribe', { ip, body: subscribeBody() })).status).toBe(200);
    expect((await hit(a, 'POST', '/beak/newsletter/subscribe', { ip, body: subscribeBody() })).status).toBe(429);
    expect(a.app.deps.ratelimit.status()).toBe('ok');
  });
});
