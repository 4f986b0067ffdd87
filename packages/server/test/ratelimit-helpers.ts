// Helpers for the rate-limit suites: requests from a chosen client address, ducklings hatched
// from their own address (so setting them up spends nobody else's buckets), limit files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Tier } from '../src/kernel/principal.js';
import { makeApp, uniq, type TestApp } from './harness.js';

export interface R { status: number; headers: Record<string, string | string[] | number | undefined>; json: any }

export interface Hit { ip?: string; token?: string; body?: unknown; headers?: Record<string, string> }

export async function hit(t: { app: TestApp['app'] }, method: string, url: string, o: Hit = {}): Promise<R> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const r = await t.app.inject({
    method: method as 'GET', url, headers, remoteAddress: o.ip ?? '127.0.0.1',
    payload: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  let json: any = {};
  try { json = JSON.parse(r.body); } catch { /* not JSON */ }
  return { status: r.statusCode, headers: r.headers as R['headers'], json };
}

let nextIp = 1;
/** A fresh TEST-NET-2 address, so each test starts with untouched per-IP buckets. */
export const freshIp = (): string => `198.51.${100 + Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`;

/** Sends until the first 429 (at most max + 1 times); returns how many were admitted and their statuses. */
export async function admitted(send: () => Promise<R>, max: number): Promise<{ n: number; statuses: number[]; limited?: R }> {
  const statuses: number[] = [];
  for (let i = 0; i <= max; i++) {
    const r = await send();
    if (r.status === 429) return { n: i, statuses, limited: r };
    statuses.push(r.status);
  }
  return { n: max + 1, statuses };
}

export interface Duckling { token: string; beak_key: string; duckling_id: string; email: string; ip: string }

export async function hatchAt(t: TestApp, ip = freshIp()): Promise<Duckling> {
  const email = `${uniq('rl')}@example.com`;
  const s = await hit(t, 'POST', '/beak/signup', { ip, body: { email, password: 'correct horse battery staple' } });
  expect(s.status, JSON.stringify(s.json)).toBe(200);
  const m = await hit(t, 'GET', `/beak/dev/mail?to=${encodeURIComponent(email)}`, { ip });
  const otp = (m.json.messages ?? []).find((x: { otp?: string }) => x.otp)?.otp;
  const v = await hit(t, 'POST', '/beak/verify', { ip, body: { email, otp } });
  expect(v.status, JSON.stringify(v.json)).toBe(200);
  return { token: v.json.access_token, beak_key: v.json.beak_key, duckling_id: v.json.duckling_id, email, ip };
}

export const ADMIN_TOKEN = 'rl-admin-token-0123456789abcdef0123456789';

/** T2 needs an SMS round trip and T3 an administrator: the administration API sets either. */
export async function setTier(t: TestApp, ducklingId: string, tier: Tier): Promise<void> {
  const r = await hit(t, 'POST', `/beak/admin/ducklings/${ducklingId}/tier`, { ip: freshIp(), token: ADMIN_TOKEN, body: { tier } });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spaceduck-rl-'));
export function limitsFile(table: unknown): string {
  const file = path.join(tmp, `${uniq('limits')}.json`);
  fs.writeFileSync(file, JSON.stringify(table));
  return file;
}

export const appWithLimits = (table: unknown, env: Record<string, string> = {}) =>
  makeApp({ SPACEDUCK_RATE_LIMITS: limitsFile(table), SPACEDUCK_ADMIN_TOKEN: ADMIN_TOKEN, ...env });

export const header = (r: R, name: string): string => String(r.headers[name] ?? '');

/** Bodies that pass validation (bad input is not counted, so counting needs good input). */
export const signupBody = () => ({ email: `${uniq('su')}@example.com`, password: 'correct horse battery staple' });
export const signinBody = () => ({ email: `${uniq('nobody')}@example.com`, password: 'not the password' });
export const subscribeBody = () => ({ email: `${uniq('nl')}@example.com` });
