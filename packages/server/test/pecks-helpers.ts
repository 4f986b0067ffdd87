// Helpers for the Peck Protocol suites: the mailbox, audit trails and row counts, read over HTTP
// (or, for "nothing changed" assertions, straight from the real database).
import { expect } from 'vitest';
import type { Hatched, Res, TestApp } from './harness.js';

export interface Mail { to: string; subject: string; text: string; otp: string | null; created_at: string }

export async function mailbox(t: TestApp, to: string): Promise<Mail[]> {
  const r = await t.api('GET', `/beak/dev/mail?to=${encodeURIComponent(to)}&limit=100`);
  return r.json.messages ?? [];
}

/** The notification for one peck, which must be the only one sent for it. */
export async function peckMail(t: TestApp, to: string, peckId: string): Promise<Mail> {
  const mails = (await mailbox(t, to)).filter((m) => m.text.includes(peckId));
  expect(mails).toHaveLength(1);
  expect(mails[0]!.otp).toMatch(/^\d{6}$/);
  return mails[0]!;
}

export async function auditOf(t: TestApp, token: string): Promise<Array<{ event_type: string; target_id: string | null; detail: Record<string, unknown> }>> {
  const r = await t.api('GET', '/beak/audit?limit=100', { token });
  expect(r.status).toBe(200);
  return r.json.entries;
}

export async function counts(t: TestApp): Promise<{ pecks: number; connections: number; mails: number; events: number }> {
  const k = t.app.deps.db.kysely;
  const n = async (table: 'pecks' | 'connections' | 'mailbox' | 'events') =>
    Number((await k.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  return { pecks: await n('pecks'), connections: await n('connections'), mails: await n('mailbox'), events: await n('events') };
}

export async function peck(t: TestApp, from: { token?: string; beak_key?: string }, body: Record<string, unknown>, url = '/beak/peck'): Promise<Res> {
  return t.api('POST', url, { token: from.beak_key ?? from.token, body });
}

/** Sends a peck from `a` to `b` (by email) and returns its id and emailed code. */
export async function pending(t: TestApp, a: Hatched, b: Hatched, extra: Record<string, unknown> = {}): Promise<{ id: string; code: string }> {
  const r = await peck(t, a, { target_email: b.email, purpose: 'test', ...extra });
  expect(r.status, r.text).toBe(200);
  const m = await peckMail(t, b.email, r.json.peck_id);
  return { id: r.json.peck_id, code: m.otp! };
}

export async function historyOf(t: TestApp, token: string, query = ''): Promise<any[]> {
  const r = await t.api('GET', `/beak/peck/history?limit=100${query}`, { token });
  expect(r.status, r.text).toBe(200);
  return r.json.pecks;
}

/** A 6-digit code that is not `code`. */
export const wrong = (code: string): string => (code === '000000' ? '111111' : '000000');
