// Helpers for the identity, passkey and admin suites. Some mail is sent after the response (so
// that its timing reveals nothing), hence codes are awaited with a deadline, not read at once.
import { uniq, type TestApp } from './harness.js';

/** Every one-time code sent to `to`, newest first. */
export async function codes(t: TestApp, to: string): Promise<string[]> {
  const r = await t.api('GET', `/beak/dev/mail?to=${encodeURIComponent(to)}&limit=100`);
  return (r.json.messages ?? []).filter((m: { otp: string | null }) => m.otp).map((m: { otp: string }) => m.otp);
}

/** Waits until more than `known` codes were sent to `to` and returns the newest. */
export async function nextCode(t: TestApp, to: string, known: number, deadlineMs = 5000): Promise<string> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const all = await codes(t, to);
    if (all.length > known) return all[0]!;
    if (Date.now() > until) throw new Error(`no new code for ${to} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const newEmail = (p = 'duck') => `${uniq(p)}@example.com`;

/** A pending (T0) account; returns its email, password and id. */
export async function pending(t: TestApp, body: Record<string, unknown> = {}) {
  const email = (body.email as string | undefined) ?? newEmail();
  const password = 'correct horse battery staple';
  const r = await t.api('POST', '/beak/signup', { body: { email, password, ...body } });
  if (r.status !== 200) throw new Error(`signup failed: ${r.status} ${r.text}`);
  return { email, password, duckling_id: r.json.duckling_id as string, display_name: r.json.display_name as string };
}

export async function signin(t: TestApp, email: string, password: string, extra: Record<string, unknown> = {}) {
  return t.api('POST', '/beak/signin', { body: { email, password, ...extra } });
}

/** The audit log of the caller, newest first. */
export async function audit(t: TestApp, token: string) {
  const r = await t.api('GET', '/beak/audit?limit=100', { token });
  if (r.status !== 200) throw new Error(`audit failed: ${r.status} ${r.text}`);
  return r.json.entries as { event_type: string; ip: string | null; user_agent: string | null; detail: Record<string, unknown>; actor_id: string | null; target_id: string | null }[];
}
