// Static console files are exempt from rate limiting; API routes beside them are not.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeApp, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => { t = await makeApp({ SPACEDUCK_RATE_LIMITS: '' }); }); // '' = the built-in table
afterAll(async () => { await t.close(); });

it('opening the console many times never meets a limit', async () => {
  const statuses = new Set<number>();
  for (let i = 0; i < 80; i++) {
    const r = await t.api('GET', i % 2 ? '/' : '/assets/index-missing.js', { headers: { accept: 'text/html' } });
    statuses.add(r.status);
    expect(r.headers['x-ratelimit-limit']).toBeUndefined();
  }
  expect(statuses.has(429)).toBe(false);
  // The default class (60/min) still applies to an API route nobody listed, and to unknown paths.
  expect((await t.api('GET', '/beak/')).headers['x-ratelimit-limit']).toBeDefined();
  expect((await t.api('GET', '/beak/no-such-route')).headers['x-ratelimit-limit']).toBeDefined();
});
