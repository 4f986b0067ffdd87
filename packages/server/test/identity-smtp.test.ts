// Identity mail through a real SMTP listener (smtp-server): the verification and reset codes
// reach the wire, and nothing lands in the development mailbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { makeApp, type TestApp } from './harness.js';
import { newEmail } from './identity-helpers.js';

interface Received { from: string; to: string[]; raw: string }

let smtp: SMTPServer;
let received: Received[] = [];
let t: TestApp;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => { raw += chunk; });
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  t = await makeApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
});

afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** Waits for a message to `to` with a 6-digit code in it. */
async function codeOnTheWire(to: string, known = 0, deadlineMs = 5000): Promise<{ code: string; msg: Received }> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const mine = received.filter((m) => m.to.includes(to));
    if (mine.length > known) {
      const msg = mine[mine.length - 1]!;
      const code = /code is (\d{6})/.exec(msg.raw)?.[1];
      if (!code) throw new Error(`no code in message: ${msg.raw.slice(0, 300)}`);
      return { code, msg };
    }
    if (Date.now() > until) throw new Error(`no mail to ${to} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('identity mail over SMTP', () => {
  it('hatch and verify with the code read off the wire', async () => {
    const email = newEmail('smtp');
    const s = await t.api('POST', '/beak/signup', { body: { email, password: 'a long enough password' } });
    expect(s.status).toBe(200);
    const { code, msg } = await codeOnTheWire(email);
    expect(msg.from).toBe('no-reply@spaceduck.local');
    expect(msg.raw).toMatch(/^Subject: Verify your Space Duck email/m);
    const v = await t.api('POST', '/beak/verify', { body: { email, otp: code } });
    expect(v.status).toBe(200);
    expect(v.json.trust_tier).toBe('T1');
    // SMTP is the transport: the development mailbox stays empty.
    const dev = await t.api('GET', `/beak/dev/mail?to=${encodeURIComponent(email)}`);
    expect(dev.json.messages).toEqual([]);
  });

  it('the reset code is sent after the response and still arrives', async () => {
    const email = newEmail('smtp');
    await t.api('POST', '/beak/signup', { body: { email, password: 'a long enough password' } });
    await t.api('POST', '/beak/verify', { body: { email, otp: (await codeOnTheWire(email)).code } });
    const f = await t.api('POST', '/beak/forgot', { body: { email } });
    expect(f.status).toBe(200);
    const { code, msg } = await codeOnTheWire(email, 1);
    expect(msg.raw).toMatch(/^Subject: Reset your Space Duck password/m);
    const r = await t.api('POST', '/beak/reset', { body: { email, code, password: 'another long password' } });
    expect(r.status).toBe(200);
    expect((await t.api('POST', '/beak/signin', { body: { email, password: 'another long password' } })).status).toBe(200);
  });

  it('shutting down delivers the mail already promised', async () => {
    const { port } = smtp.server.address() as AddressInfo;
    const t2 = await makeApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    const email = newEmail('smtp');
    try {
      await t2.api('POST', '/beak/signup', { body: { email, password: 'a long enough password' } });
      await t2.api('POST', '/beak/verify', { body: { email, otp: (await codeOnTheWire(email)).code } });
      expect((await t2.api('POST', '/beak/forgot', { body: { email } })).status).toBe(200);
    } finally { await t2.close(); }
    const mine = received.filter((m) => m.to.includes(email));
    expect(mine).toHaveLength(2);
    expect(mine[1]!.raw).toMatch(/^Subject: Reset your Space Duck password/m);
  });
});
