// Rate limits (CONTRACT §9) over HTTP: the contract's table, token-bucket burst and refill on a
// controlled clock, headers, keying by principal or client address, proxies, IPv6, the
// override file and `off`, refused-credential throttling, and the Redis-degraded mode.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { addressKey } from '../src/ratelimit/ip.js';
import { MemoryBuckets } from '../src/ratelimit/store.js';
import { classify, defaultRateLimits, parseRateLimits } from '../src/ratelimit/table.js';
import { isEnvelope, makeApp, type TestApp } from './harness.js';
import { ADMIN_TOKEN, admitted, appWithLimits, signinBody, signupBody, subscribeBody, freshIp, hatchAt, header, hit, limitsFile, setTier, type Duckling } from './ratelimit-helpers.js';

const SEC = 1000;

describe('the table and client addresses', () => {
  it('buckets IPv6 clients by /64 and reads IPv4-mapped addresses as IPv4', () => {
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0DB8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
  });

  it('matches registered route patterns, the most specific first', () => {
    const table = defaultRateLimits();
    expect(classify(table, '/beak/peck/:peck_id/approve').className).toBe('peck');
    expect(classify(table, '/beak/peck').className).toBe('peck');
    expect(classify(table, '/beak/keys/:key_id').className).toBe('agent');
    expect(classify(table, '/beak/spaceducks/register').className).toBe('agent');
    expect(classify(table, '/beak/spaceducks').className).toBe('directory');
    expect(classify(table, '/beak/webhooks')).toMatchObject({ className: 'default', tierClass: { perTier: [60, 300, 1200] } });
    expect(classify(table, undefined).className).toBe('default');
    expect(classify(table, '/beak/metrics')).toMatchObject({ className: 'audit', groupName: 'metrics' });
  });

  it('the memory store stays bounded and forgets buckets that have refilled', () => {
    const m = new MemoryBuckets(100);
    const spec = (key: string) => ({ key, capacity: 5, limit: 5, windowMs: 60_000 });
    const t0 = 1_000_000;
    for (let i = 0; i < 1000; i++) m.take([spec(`k${i}`)], t0);
    expect(m.size).toBeLessThanOrEqual(100);
    // the most recently used survive eviction, with their state
    expect(m.take([spec('k999')], t0).tokens).toEqual([3]);
    // a bucket that would be full again is equivalent to none: dropped at the next sweep
    m.take([spec('fresh')], t0 + 59_000);
    m.take([spec('fresh')], t0 + 60_000 + 12_000);
    expect(m.size).toBe(1);
  });

  it('an override file merges onto the defaults and rejects what it cannot mean', () => {
    const t = parseRateLimits({ classes: { peck: { perTier: [1, 2, 3] }, extra: { routes: ['/beak/webhooks/*'], perTier: [4, 5, 6] } }, public: { signup: { burst: 9 } } });
    expect(t.classes.peck).toMatchObject({ perTier: [1, 2, 3], windowSeconds: 60, routes: ['/beak/peck', '/beak/peck/*', '/beak/unpeck'] });
    expect(t.public.signup).toMatchObject({ limit: 10, burst: 9 });
    expect(t.classes.cert!.perTier).toEqual([3, 10, 30]);
    expect(classify(t, '/beak/webhooks/:webhook_id').className).toBe('extra');
    expect(() => parseRateLimits({ clases: {} })).toThrow(/unknown key "clases"/);
    expect(() => parseRateLimits({ classes: { peck: { perTier: [1, 2] } } })).toThrow(/perTier/);
    expect(() => parseRateLimits({ public: { signup: { burst: 0 } } })).toThrow(/positive integer/);
    expect(() => parseRateLimits({ classes: { x: { routes: ['/beak/audit'], perTier: [1, 1, 1] } } })).toThrow(/in both classes.audit and classes.x/);
    expect(() => parseRateLimits([])).toThrow(/JSON object/);
    expect(() => parseRateLimits({ public: { 'a"b': { routes: ['/x'], limit: 1 } } })).toThrow(/not a valid name/);
  });

  it('SPACEDUCK_RATE_LIMITS: a file, `off`, or a clear error at start', () => {
    const base = { SPACEDUCK_DATA_DIR: '/tmp/unused' };
    expect(loadConfig(base).rateLimits).toEqual(defaultRateLimits());
    expect(loadConfig({ ...base, SPACEDUCK_RATE_LIMITS: 'off' }).rateLimits).toBeNull();
    expect(loadConfig({ ...base, SPACEDUCK_RATE_LIMITS: limitsFile({ classes: { audit: { perTier: [7, 8, 9] } } }) }).rateLimits!.classes.audit!.perTier).toEqual([7, 8, 9]);
    expect(() => loadConfig({ ...base, SPACEDUCK_RATE_LIMITS: '/nonexistent/limits.json' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, SPACEDUCK_RATE_LIMITS: limitsFile({ public: { nope: { limit: 'x' } } }) })).toThrow(/SPACEDUCK_RATE_LIMITS: public.nope.limit/);
  });
});

describe('with the contract table', () => {
  let t: TestApp;
  // Hatched before any test moves the clock, each from its own address.
  const ducks: Record<'d1' | 'd2' | 'd3' | 'follow' | 'other' | 'keyed' | 'refused', Duckling> = {} as never;
  beforeAll(async () => {
    t = await appWithLimits({});
    for (const name of ['d1', 'd2', 'd3', 'follow', 'other', 'keyed', 'refused'] as const) ducks[name] = await hatchAt(t);
    await setTier(t, ducks.d2.duckling_id, 'T2');
    await setTier(t, ducks.d3.duckling_id, 'T3');
  });
  afterAll(async () => { await t.close(); });

  it('anonymous public group: metrics admits its burst of 200, then refills at 100/min', async () => {
    const ip = freshIp();
    const get = () => hit(t, 'GET', '/beak/metrics', { ip });
    const first = await get();
    expect(first.status).toBe(200);
    const now = t.clock.now();
    expect(header(first, 'x-ratelimit-limit')).toBe('200');
    expect(header(first, 'x-ratelimit-remaining')).toBe('199');
    // One token back every 600 ms: full again at now + 0.6 s.
    expect(header(first, 'x-ratelimit-reset')).toBe(String(Math.ceil((now + 600) / SEC)));
    expect(header(first, 'ratelimit-policy')).toBe('"public-metrics";q=200;w=120');
    expect(header(first, 'ratelimit')).toBe('"public-metrics";r=199;t=1');

    const rest = await admitted(get, 199);
    expect(rest.n).toBe(199);
    const l = rest.limited!;
    expect(isEnvelope(l as never, 'E4004')).toBe(true);
    expect(l.json.error).toBe('RATE_LIMITED');
    expect(header(l, 'retry-after')).toBe('1');
    expect(header(l, 'x-ratelimit-remaining')).toBe('0');
    expect(header(l, 'x-ratelimit-reset')).toBe(String(Math.ceil((now + 200 * 600) / SEC)));
    expect(header(l, 'ratelimit')).toBe('"public-metrics";r=0;t=1');

    t.clock.advance(599);
    expect((await get()).status).toBe(429);
    t.clock.advance(1);
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
  });

  it('signup: burst 5 per IP, refilled at 10/min and never beyond the burst', async () => {
    const ip = freshIp();
    const signup = () => hit(t, 'POST', '/beak/signup', { ip, body: signupBody() });
    const a = await admitted(signup, 5);
    expect(a.n).toBe(5);
    expect(a.statuses).toEqual([200, 200, 200, 200, 200]);
    expect(header(a.limited!, 'retry-after')).toBe('6');
    expect(header(a.limited!, 'ratelimit')).toBe('"public-signup";r=0;t=6');
    expect(header(a.limited!, 'ratelimit-policy')).toBe('"public-signup";q=5;w=30');

    t.clock.advance(6 * SEC);
    expect((await admitted(signup, 5)).n).toBe(1);
    t.clock.advance(10 * 60 * SEC); // ten minutes idle: still only the bucket's 5
    expect((await admitted(signup, 10)).n).toBe(5);
    // The alias shares the group's bucket.
    expect((await hit(t, 'POST', '/beak/hatch', { ip, body: signupBody() })).status).toBe(429);
  });

  it('anonymous routes outside the public table use the tier table\'s first column per IP', async () => {
    const ip = freshIp();
    // auth class: 5/min for T0/T1 and anonymous callers
    const signin = await admitted(() => hit(t, 'POST', '/beak/signin', { ip, body: signinBody() }), 5);
    expect(signin.n).toBe(5);
    expect(header(signin.limited!, 'ratelimit-policy')).toBe('"auth";q=5;w=60');
    expect(header(signin.limited!, 'retry-after')).toBe('12');
    // every auth route shares the class bucket
    expect((await hit(t, 'POST', '/beak/forgot', { ip, body: { email: 'someone@example.com' } })).status).toBe(429);
    // the default class (60/min) for a route in neither table, including unknown routes
    const other = freshIp();
    expect((await admitted(() => hit(t, 'GET', '/beak/', { ip: other }), 60)).n).toBe(60);
    expect((await hit(t, 'GET', '/beak/no-such-route', { ip: other })).status).toBe(429);
    // newsletter/*: burst 2
    const third = freshIp();
    expect((await admitted(() => hit(t, 'POST', '/beak/newsletter/subscribe', { ip: third, body: subscribeBody() }), 2)).n).toBe(2);
  });

  it('a spoofed X-Forwarded-For does not change the bucket without trusted proxies', async () => {
    const ip = freshIp();
    expect((await admitted(() => hit(t, 'POST', '/beak/signup', { ip, body: signupBody() }), 5)).n).toBe(5);
    const spoofed = await hit(t, 'POST', '/beak/signup', { ip, body: signupBody(), headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(spoofed.status).toBe(429);
  });

  it('IPv6 clients share one bucket per /64', async () => {
    const send = (ip: string) => hit(t, 'POST', '/beak/newsletter/subscribe', { ip, body: subscribeBody() });
    const first = await send('2001:db8:77:1::1');
    expect(first.status).toBe(200);
    expect(header(first, 'x-ratelimit-remaining')).toBe('1'); // error responses carry the fields too
    expect((await send('2001:db8:77:1:aaaa:bbbb:cccc:dddd')).status).toBe(200);
    expect((await send('2001:db8:77:1::2')).status).toBe(429);
    expect((await send('2001:db8:77:2::1')).status).toBe(200);
  });

  it('bad input is not counted, but a client over its limit is refused before its body is read', async () => {
    const ip = freshIp();
    const raw = (payload: string) => t.app.inject({ method: 'POST', url: '/beak/newsletter/subscribe', remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload });
    // newsletter/*: burst 2. Malformed JSON, a schema failure and an oversized body change nothing.
    for (let i = 0; i < 3; i++) expect((await raw('{"email": ')).statusCode).toBe(400);
    expect((await raw(JSON.stringify({ email: 'not-an-email' }))).statusCode).toBe(400);
    expect((await raw(JSON.stringify({ email: 'a@b.co', pad: 'x'.repeat(70_000) }))).statusCode).toBe(413);
    expect((await admitted(() => hit(t, 'POST', '/beak/newsletter/subscribe', { ip, body: subscribeBody() }), 2)).n).toBe(2);
    const refused = await raw('{"email": ');
    expect(refused.statusCode).toBe(429);
    // a semantic refusal by the handler does count (it reached the service)
    const other = freshIp();
    const d = ducks.d1;
    const a = await admitted(() => hit(t, 'POST', '/beak/signin', { ip: other, body: { email: d.email, password: 'wrong password' } }), 5);
    expect(a).toMatchObject({ n: 5, statuses: [401, 401, 401, 401, 401] });
  });

  describe('authenticated callers', () => {

    // One route per class that a duckling may call; the auth class is anonymous by nature.
    const probes = (d: Duckling, ip = freshIp()): Record<string, () => ReturnType<typeof hit>> => ({
      peck: () => hit(t, 'GET', '/beak/peck/history', { ip, token: d.token }),
      cert: () => hit(t, 'GET', '/beak/cert/view', { ip, token: d.token }),
      audit: () => hit(t, 'GET', '/beak/audit', { ip, token: d.token }),
      directory: () => hit(t, 'GET', `/beak/spaceducks?duckling_id=${d.duckling_id}`, { ip, token: d.token }),
      agent: () => hit(t, 'GET', '/beak/agent/list', { ip, token: d.token }),
      default: () => hit(t, 'GET', '/beak/connections', { ip, token: d.token }),
    });

    it('T1: each class admits exactly its first-column limit per principal', async () => {
      const expected: Record<string, number> = { peck: 10, cert: 3, audit: 30, directory: 10, agent: 120, default: 60 };
      for (const [cls, send] of Object.entries(probes(ducks.d1))) {
        const a = await admitted(send, expected[cls]!);
        expect({ cls, n: a.n }).toEqual({ cls, n: expected[cls] });
        expect(a.statuses.every((s) => s === 200), `${cls}: ${a.statuses.join(',')}`).toBe(true);
        expect(header(a.limited!, 'ratelimit-policy')).toContain(`"${cls}";q=${expected[cls]};w=60`);
      }
    });

    it('T2 and T3 use the second and third columns', async () => {
      const { d2, d3 } = ducks;
      expect((await admitted(probes(d2).cert!, 10)).n).toBe(10);
      expect((await admitted(probes(d3).cert!, 30)).n).toBe(30);
      expect((await admitted(probes(d2).directory!, 30)).n).toBe(30);
    });

    it('a principal\'s bucket follows it across addresses, and refills at its rate', async () => {
      const d = ducks.follow;
      expect((await admitted(probes(d, freshIp()).cert!, 3)).n).toBe(3);
      // another address, same principal: still limited
      const elsewhere = await probes(d, freshIp()).cert!();
      expect(elsewhere.status).toBe(429);
      expect(header(elsewhere, 'retry-after')).toBe('20');
      // the Beak Key is the same principal as the session
      expect((await hit(t, 'GET', '/beak/cert/view', { ip: freshIp(), headers: { 'x-beak-key': d.beak_key } })).status).toBe(429);
      // another principal on the same address is not
      const other = ducks.other;
      expect((await hit(t, 'GET', '/beak/cert/view', { ip: d.ip, token: other.token })).status).toBe(200);
      t.clock.advance(20 * SEC);
      expect((await admitted(probes(d).cert!, 3)).n).toBe(1);
    });

    it('anonymous and authenticated calls to one route are keyed apart; public groups apply to both', async () => {
      const ip = freshIp();
      const d = ducks.keyed;
      // authenticated metrics: the audit class by principal (30/min) and the metrics group by IP
      const a = await hit(t, 'GET', '/beak/metrics', { ip, token: d.token });
      expect(header(a, 'ratelimit-policy')).toBe('"audit";q=30;w=60, "public-metrics";q=200;w=120');
      expect(header(a, 'ratelimit')).toBe('"audit";r=29;t=2, "public-metrics";r=199;t=1');
      expect(header(a, 'x-ratelimit-limit')).toBe('30'); // the tighter of the two
      expect(header(a, 'x-ratelimit-remaining')).toBe('29');
      expect((await admitted(() => hit(t, 'GET', '/beak/metrics', { ip, token: d.token }), 29)).n).toBe(29);
      // the principal is spent; the same address without a credential is not
      const anon = await hit(t, 'GET', '/beak/metrics', { ip });
      expect(anon.status).toBe(200);
      expect(header(anon, 'ratelimit')).toBe('"public-metrics";r=169;t=1');
    });
  });

  describe('refused credentials', () => {
    it('an address that keeps presenting bad credentials is turned away before they are checked', async () => {
      const ip = freshIp();
      const d = ducks.refused;
      const bogus = `bk_${'x'.repeat(43)}`;
      for (let i = 0; i < 10; i++) expect((await hit(t, 'GET', '/beak/audit', { ip, token: bogus })).status).toBe(401);
      const next = await hit(t, 'GET', '/beak/audit', { ip, token: bogus });
      expect(next.status).toBe(429);
      expect(header(next, 'ratelimit')).toBe('"failed-credentials";r=0;t=6');
      // even a good credential, in a header or a body, from that address waits
      expect((await hit(t, 'GET', '/beak/audit', { ip, token: d.token })).status).toBe(429);
      expect((await hit(t, 'POST', '/beak/pulse', { ip, body: { beak_key: d.beak_key } })).status).toBe(429);
      // anonymous reads from it, and the owner from elsewhere, are unaffected
      expect((await hit(t, 'GET', '/beak/metrics', { ip })).status).toBe(200);
      expect((await hit(t, 'GET', '/beak/audit', { ip: freshIp(), token: d.token })).status).toBe(200);
      t.clock.advance(6 * SEC);
      expect((await hit(t, 'GET', '/beak/audit', { ip, token: d.token })).status).toBe(200);
    });

    it('guessing the administrator token is throttled the same way', async () => {
      const ip = freshIp();
      const list = (token: string) => hit(t, 'GET', '/beak/admin/ducklings', { ip, token });
      for (let i = 0; i < 10; i++) expect((await list(`wrong-${i}`)).status).toBe(401);
      expect((await list(ADMIN_TOKEN)).status).toBe(429);
      expect((await list(ADMIN_TOKEN)).headers['retry-after']).toBe('6');
      expect((await hit(t, 'GET', '/beak/admin/ducklings', { ip: freshIp(), token: ADMIN_TOKEN })).status).toBe(200);
    });
  });
});

describe('configuration', () => {
  it('an override file changes the numbers; every class and tier limits at its configured value', async () => {
    const perTier: Record<string, [number, number, number]> = {
      peck: [2, 3, 4], cert: [3, 4, 5], audit: [4, 5, 6], directory: [5, 6, 7], agent: [6, 7, 8],
    };
    const t = await appWithLimits({
      classes: Object.fromEntries(Object.entries(perTier).map(([k, v]) => [k, { perTier: v }])),
      defaultClass: { perTier: [7, 8, 9] },
      public: { newsletter: { burst: 1 } },
    });
    try {
      const all: Record<string, [number, number, number]> = { ...perTier, default: [7, 8, 9] };
      const routes: Record<string, (d: Duckling) => string> = {
        peck: () => '/beak/peck/history', cert: () => '/beak/cert/view', audit: () => '/beak/audit',
        directory: (d) => `/beak/spaceducks?duckling_id=${d.duckling_id}`, agent: () => '/beak/agent/list', default: () => '/beak/connections',
      };
      for (const [col, tier] of [[0, 'T1'], [1, 'T2'], [2, 'T3']] as const) {
        const d = await hatchAt(t);
        await setTier(t, d.duckling_id, tier);
        for (const [cls, url] of Object.entries(routes)) {
          const n = all[cls]![col];
          const a = await admitted(() => hit(t, 'GET', url(d), { token: d.token, ip: d.ip }), n);
          expect({ tier, cls, n: a.n }).toEqual({ tier, cls, n });
        }
      }
      const ip = freshIp();
      expect((await admitted(() => hit(t, 'POST', '/beak/newsletter/subscribe', { ip, body: subscribeBody() }), 1)).n).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('`off` limits nothing and sends no rate-limit fields', async () => {
    const t = await makeApp({ SPACEDUCK_RATE_LIMITS: 'off' });
    try {
      const ip = freshIp();
      const statuses = [];
      for (let i = 0; i < 8; i++) statuses.push((await hit(t, 'POST', '/beak/newsletter/subscribe', { ip, body: {} })).status);
      expect(statuses.every((s) => s === 400)).toBe(true);
      const r = await hit(t, 'GET', '/beak/metrics', { ip });
      expect(r.headers['x-ratelimit-limit']).toBeUndefined();
      expect(r.headers['ratelimit-policy']).toBeUndefined();
      expect((await hit(t, 'GET', '/beak/system/status')).json.components.rate_limits).toMatchObject({ enabled: false });
    } finally {
      await t.close();
    }
  });

  it('X-Forwarded-For is believed only from a listed proxy', async () => {
    const proxy = '10.9.8.7';
    const t = await appWithLimits({}, { SPACEDUCK_TRUSTED_PROXIES: `${proxy},192.0.2.0/24` });
    try {
      const send = (ip: string, xff?: string) => hit(t, 'POST', '/beak/newsletter/subscribe', { ip, body: subscribeBody(), headers: xff ? { 'x-forwarded-for': xff } : {} });
      // through the proxy: each forwarded client has its own bucket
      expect((await admitted(() => send(proxy, '203.0.113.1'), 2)).n).toBe(2);
      expect((await send(proxy, '203.0.113.2')).status).toBe(200);
      // a chain through two trusted hops resolves to the first untrusted address
      expect((await send(proxy, '203.0.113.1, 192.0.2.5')).status).toBe(429);
      // a direct client cannot pose as someone else
      const direct = freshIp();
      let n = 20;
      expect((await admitted(() => send(direct, `203.0.113.${n++}`), 2)).n).toBe(2);
      expect((await send(direct, '203.0.113.250')).status).toBe(429);
    } finally {
      await t.close();
    }
  });
});

describe('Redis unreachable', () => {
  let t: TestApp;
  let closedPort: number;
  beforeAll(async () => {
    closedPort = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    t = await appWithLimits({ public: { metrics: { limit: 2, burst: 2 } } }, { REDIS_URL: `redis://127.0.0.1:${closedPort}` });
  });
  afterAll(async () => { await t.close(); });

  it('reports degraded, fails open for public reads, and keeps the auth class limited in memory', async () => {
    const status = await hit(t, 'GET', '/beak/system/status', { ip: freshIp() });
    expect(status.json.status).toBe('degraded');
    expect(status.json.components.rate_limits).toMatchObject({ status: 'degraded', store: 'redis', enabled: true });
    expect(t.app.deps.ratelimit.status()).toBe('degraded');

    const ip = freshIp();
    const reads = [];
    for (let i = 0; i < 5; i++) reads.push(await hit(t, 'GET', '/beak/metrics', { ip }));
    expect(reads.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(reads[0]!.headers['x-ratelimit-limit']).toBeUndefined();
    // an authenticated read is the caller's own business: limited in memory
    const d = await hatchAt(t);
    const own = await admitted(() => hit(t, 'GET', '/beak/metrics', { ip, token: d.token }), 2);
    expect(own.n).toBe(2);
    expect(header(own.limited!, 'ratelimit-policy')).toBe('"audit";q=30;w=60, "public-metrics";q=2;w=60');

    const signin = await admitted(() => hit(t, 'POST', '/beak/signin', { ip, body: signinBody() }), 5);
    expect(signin.n).toBe(5);
    expect(header(signin.limited!, 'x-ratelimit-limit')).toBe('5');
    // writes to public routes are limited in memory too
    expect((await admitted(() => hit(t, 'POST', '/beak/newsletter/subscribe', { ip, body: subscribeBody() }), 2)).n).toBe(2);
  });
});
