// Test harness: a real app on a real database (SQLite in a temp folder, or PostgreSQL in a
// schema of its own when TEST_DATABASE_URL is set; Redis when TEST_REDIS_URL is set), driven
// over HTTP with Fastify's inject. Time is a ManualClock the test can move.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import { buildApp, type App, type BuildOptions } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { ManualClock } from '../src/kernel/clock.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || undefined;

export interface Res { status: number; json: any; text: string; headers: Record<string, string | string[] | undefined> }

export interface TestApp {
  app: App;
  clock: ManualClock;
  config: Config;
  schema?: string;
  api(method: string, url: string, opts?: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string }): Promise<Res>;
  /** The latest code mailed (or texted) to `to`, from the development mailbox. */
  otp(to: string): Promise<string | null>;
  /** signup + verify: returns the verify body plus `token` and `email`. */
  hatch(opts?: { password?: string; display_name?: string }): Promise<Hatched>;
  close(): Promise<void>;
}

export interface Hatched { email: string; password: string; duckling_id: string; token: string; beak_key: string; cert_id: string; display_name: string; [k: string]: any }

export const uniq = (p = 'x') => `${p}${crypto.randomBytes(4).toString('hex')}`;

export async function makeApp(env: Record<string, string> = {}, opts: BuildOptions = {}): Promise<TestApp> {
  const clock = (opts.clock as ManualClock | undefined) ?? new ManualClock(Date.parse('2026-11-23T12:00:00Z'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spaceduck-test-'));
  const schema = TEST_DATABASE_URL ? `t_${crypto.randomBytes(6).toString('hex')}` : undefined;
  const config = loadConfig({
    SPACEDUCK_ENV: 'test', SPACEDUCK_DATA_DIR: dataDir, SPACEDUCK_RATE_LIMITS: 'off', SPACEDUCK_PORT: '0',
    SPACEDUCK_PUBLIC_URL: 'http://localhost:8080', LOG_LEVEL: 'silent',
    ...(TEST_DATABASE_URL ? { DATABASE_URL: TEST_DATABASE_URL } : {}),
    ...(TEST_REDIS_URL ? { REDIS_URL: TEST_REDIS_URL } : {}),
    ...env,
  });
  const app = await buildApp(config, { logger: false, ...opts, clock, schema });
  await app.ready();

  const api: TestApp['api'] = async (method, url, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let payload: string | undefined;
    if (o.raw !== undefined) { payload = o.raw; headers['content-type'] ??= 'application/json'; }
    else if (o.body !== undefined) { payload = JSON.stringify(o.body); headers['content-type'] = 'application/json'; }
    const r = await app.inject({ method: method as 'GET', url, headers, payload });
    let json: any = {};
    try { json = JSON.parse(r.body); } catch { /* not JSON */ }
    return { status: r.statusCode, json, text: r.body, headers: r.headers as Res['headers'] };
  };

  const otp = async (to: string) => {
    await app.deps.identity.drain(); // some codes are mailed after the response (timing privacy)
    const r = await api('GET', `/beak/dev/mail?to=${encodeURIComponent(to)}`);
    return (r.json.messages ?? []).find((m: { otp: string | null }) => m.otp)?.otp ?? null;
  };

  const hatch: TestApp['hatch'] = async (o = {}) => {
    const email = `${uniq('duck')}@example.com`;
    const password = o.password ?? 'correct horse battery staple';
    const s = await api('POST', '/beak/signup', { body: { email, password, display_name: o.display_name ?? uniq('Duck') } });
    if (s.status !== 200) throw new Error(`signup failed: ${s.status} ${s.text}`);
    const code = await otp(email);
    const v = await api('POST', '/beak/verify', { body: { email, otp: code } });
    if (v.status !== 200) throw new Error(`verify failed: ${v.status} ${v.text}`);
    return { ...v.json, email, password, token: v.json.access_token };
  };

  return {
    app, clock, config, schema, api, otp, hatch,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (schema && TEST_DATABASE_URL) {
        const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await c.connect();
        await c.query(`drop schema if exists "${schema}" cascade`);
        await c.end();
      }
    },
  };
}

/** Polls `check` until it returns something truthy, or fails after `ms`: tests await conditions, not sleeps. */
export async function until<T>(check: () => T | Promise<T>, ms = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const isEnvelope = (r: Res, code?: string): boolean =>
  typeof r.json.error === 'string' && typeof r.json.message === 'string' && (code ? r.json.code === code : /^E\d{4}$/.test(r.json.code ?? ''));
