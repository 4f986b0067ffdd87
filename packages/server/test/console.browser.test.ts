// Mission Control in a real browser (Debian's Chromium via playwright-core) against the real
// server on a real socket: two operators hatch, register and watch an agent, manage keys, peck
// each other, test a webhook, check a certificate in the browser, and sign in with a passkey.
// Every page is checked with axe-core, and no console error or CSP violation may occur.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasChromium, launch, listenApp, newPage, screenshot, type LiveApp } from './console-helpers.js';
import { until as waitUntil } from './harness.js';

interface Received { headers: http.IncomingHttpHeaders; body: string }

const until = <T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 10_000) => waitUntil(fn, ms, what) as Promise<T>;

describe.skipIf(!hasChromium)('console in a browser', () => {
  let t: LiveApp;
  let browser: Browser;
  const errors: string[] = [];
  const received: Received[] = [];
  let receiver: http.Server;
  let receiverUrl: string;
  let a: { context: BrowserContext; page: Page };
  const alice = { email: `alice${Date.now()}@example.com`, password: 'correct horse battery staple', name: `Alice${Date.now() % 100000}` };
  let agentKey = '';
  let agentId = '';

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => { received.push({ headers: req.headers, body }); res.writeHead(200, { 'content-type': 'text/plain' }).end('quack received'); });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    [t, browser] = await Promise.all([listenApp({ SPACEDUCK_WEBHOOK_ALLOW_PRIVATE: 'true' }), launch()]);
    a = await newPage(browser, t.origin, errors);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise((r) => receiver?.close(r));
  });

  // Console errors and CSP violations fail the step they happen in.
  afterEach(() => { expect(errors).toEqual([]); });

  const expectAccessible = async (page: Page, what: string) => {
    expect(await axeViolations(page), `axe on ${what}`).toEqual([]);
  };

  it('hatches: sign-up, emailed code, the Beak Key shown once', async () => {
    const { page } = a;
    const res = await page.goto('/hatch');
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByLabel('Email').fill(alice.email);
    await page.getByLabel('Display name (optional)').fill(alice.name);
    await page.getByLabel('Password (optional)').fill(alice.password);
    await expectAccessible(page, 'hatch');
    await screenshot(page, 'hatch');
    await page.getByRole('button', { name: 'Hatch' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const code = await until('the verification code', () => t.otp(alice.email));
    await page.getByLabel('Code from the email').fill(code);
    await page.getByRole('button', { name: 'Verify and hatch' }).click();

    const key = page.locator('[data-secret="Beak Key"]');
    await key.waitFor();
    expect(await key.textContent()).toMatch(/^bk_[A-Za-z0-9]{40,}$/);
    const done = page.getByRole('button', { name: 'Continue to Mission Control' });
    expect(await done.isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Copy Beak Key' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await key.textContent());
    await expectAccessible(page, 'welcome');
    await screenshot(page, 'welcome');
    await page.getByLabel(/I have stored it/).check();
    await done.click();
    await page.getByRole('heading', { name: 'Mission Control' }).waitFor();

    // The token is in sessionStorage only; the key is gone for good.
    const storage = await page.evaluate(() => ({ session: sessionStorage.getItem('spaceduck.session'), local: localStorage.length, cookie: document.cookie }));
    expect(JSON.parse(storage.session!).token).toMatch(/^eyJ/);
    expect(storage.local).toBe(0);
    expect(storage.cookie).toBe('');
    expect(await a.context.cookies()).toEqual([]);
    expect(await page.content()).not.toMatch(/bk_[A-Za-z0-9]{40}/);
  });

  it('Mission Control: registers an agent and turns it active on a pulse, without reload', async () => {
    const { page } = a;
    await page.getByText('Live', { exact: true }).waitFor();
    await expectAccessible(page, 'mission control (empty)');
    await page.getByRole('button', { name: 'Register a Space Duck' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Scout');
    await page.getByLabel('Type (optional)').fill('assistant');
    await page.getByLabel('Capabilities (optional)').fill('search, code');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    const key = page.locator('[data-secret="Beak Key"]');
    await key.waitFor();
    agentKey = (await key.textContent())!;
    expect(agentKey).toMatch(/^bk_/);
    expect(await page.locator('[data-secret="Handshake token"]').textContent()).toBeTruthy();
    await page.getByLabel(/I have stored them/).check();
    await page.getByRole('button', { name: 'Done' }).click();

    const row = page.locator('tr[data-agent]').filter({ hasText: 'Scout' });
    await row.waitFor();
    agentId = (await row.getAttribute('data-agent'))!;
    expect(await row.getAttribute('data-liveness')).toBe('never');
    expect(await page.locator('[data-count="active"]').textContent()).toBe('0');

    // A pulse from the agent, over the API: the open page follows the SSE stream.
    const pulse = await fetch(`${t.origin}/beak/pulse`, {
      method: 'POST', headers: { authorization: `Bearer ${agentKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'active', meta: { version: '1.2.3', tasks: 4 } }),
    });
    expect(pulse.status).toBe(200);
    await page.locator(`tr[data-agent="${agentId}"][data-liveness="active"]`).waitFor({ timeout: 5000 });
    expect(await page.locator('[data-count="active"]').textContent()).toBe('1');
    expect(await row.textContent()).toContain('1.2.3');

    // A sub-agent appears under its parent in the spawn tree.
    await page.getByRole('button', { name: 'Register a Space Duck' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Scout Jr');
    await page.getByLabel('Spawned by (optional)').selectOption({ label: 'Scout' });
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByLabel(/I have stored them/).check();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.locator('tr[data-agent]').nth(1).filter({ hasText: 'Scout Jr' }).waitFor();
    expect(await page.locator('tr[data-agent]').nth(1).locator('th').getAttribute('class')).toBe('depth-1');
    expect(await page.locator('[data-count="inactive"]').textContent()).toBe('1');
    await expectAccessible(page, 'mission control');
    await screenshot(page, 'mission-control');
  });

  it('Beak Keys: create, rotate with the old key refused at once, revoke', async () => {
    const { page } = a;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Beak Keys' }).click();
    await page.getByRole('heading', { name: 'Beak Keys' }).waitFor();
    await page.locator('tr[data-key]').first().waitFor();
    expect(await page.locator('tr[data-key]').count()).toBe(3); // Alice's first key, Scout's and Scout Jr's
    await expectAccessible(page, 'keys');

    await page.getByRole('button', { name: 'Create a key' }).click();
    await page.getByLabel('Name (optional)').fill('ci-deploy');
    await page.getByLabel('Expires after (days)').fill('30');
    await page.getByRole('button', { name: 'Create key', exact: true }).click();
    const created = (await page.locator('[data-secret="Beak Key"]').textContent())!;
    expect(created).toMatch(/^bk_/);
    expect((await fetch(`${t.origin}/beak/keys`, { headers: { authorization: `Bearer ${created}` } })).status).toBe(200);
    await page.getByLabel(/I have stored it/).check();
    await page.getByRole('button', { name: 'Done' }).click();
    const ci = page.locator('tr[data-key]').filter({ hasText: 'ci-deploy' });
    await ci.waitFor();
    expect(await page.content()).not.toContain(created);

    // Rotate Scout's primary key: a new key shown once; the old one is refused at once.
    const scoutRow = page.locator('tr[data-key]').filter({ hasText: /Scout(?! Jr)/ });
    await scoutRow.getByRole('button', { name: 'Rotate' }).click();
    await page.getByLabel('The old key').selectOption('0');
    await page.getByRole('button', { name: 'Rotate key' }).click();
    const rotated = (await page.locator('[data-secret="Beak Key"]').textContent())!;
    expect(rotated).toMatch(/^bk_/);
    expect(rotated).not.toBe(agentKey);
    const pulseWith = (key: string) => fetch(`${t.origin}/beak/pulse`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{}' });
    expect((await pulseWith(agentKey)).status).toBe(401);
    expect((await pulseWith(rotated)).status).toBe(200);
    agentKey = rotated;
    await page.getByLabel(/I have stored it/).check();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.locator('tr[data-key][data-status="rotated"]').waitFor();

    // Revoke the CI key.
    await ci.getByRole('button', { name: 'Revoke' }).click();
    await ci.getByRole('button', { name: 'Revoke now' }).click();
    await page.locator('tr[data-key][data-status="revoked"]').filter({ hasText: 'ci-deploy' }).waitFor();
    expect((await fetch(`${t.origin}/beak/keys`, { headers: { authorization: `Bearer ${created}` } })).status).toBe(401);
    await expectAccessible(page, 'keys after changes');
    await screenshot(page, 'keys');
  });

  let b: { context: BrowserContext; page: Page };
  let bob: Awaited<ReturnType<LiveApp['hatch']>>;

  it('Pecks: one operator pecks the other, who approves in their own browser', async () => {
    bob = await t.hatch({ password: 'another horse battery staple' });
    b = await newPage(browser, t.origin, errors);
    await b.page.goto('/pecks');
    await b.page.getByRole('heading', { name: 'Sign in' }).waitFor(); // signed out: sent to sign-in, then back
    await b.page.getByLabel('Email').fill(bob.email);
    await b.page.getByLabel('Password').fill(bob.password);
    await expectAccessible(b.page, 'sign in');
    await screenshot(b.page, 'sign-in');
    await b.page.getByRole('button', { name: 'Sign in' }).click();
    await b.page.getByRole('heading', { name: 'Pecks' }).waitFor();
    await b.page.getByText('Nothing to decide').waitFor();

    const { page } = a;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pecks' }).click();
    await page.getByLabel('To', { exact: true }).fill(bob.email);
    await page.getByLabel('Purpose').fill('Agent fleet coordination');
    await page.getByRole('button', { name: 'Send peck' }).click();
    await page.getByText('Peck sent. Waiting for target approval.').waitFor();
    await page.locator('tr[data-peck][data-status="pending"]').waitFor();
    await page.locator('[data-sent-peck]').waitFor();
    await expectAccessible(page, 'pecks (sender)');

    await b.page.reload();
    const card = b.page.locator('li[data-peck]').filter({ hasText: 'Agent fleet coordination' });
    await card.waitFor();
    await expectAccessible(b.page, 'pecks (target)');
    await screenshot(b.page, 'pecks');
    await card.getByRole('button', { name: 'Approve' }).click();
    await b.page.locator('tr[data-bond]').filter({ hasText: alice.name }).waitFor();
    await b.page.getByText('Nothing to decide').waitFor();

    await page.reload();
    const bond = page.locator('tr[data-bond]').filter({ hasText: bob.display_name });
    await bond.waitFor();
    await page.locator('tr[data-peck][data-status="approved"]').waitFor();
    await page.getByText('No pecks waiting for an answer.').waitFor();
    await bond.getByRole('button', { name: 'Unpeck' }).click();
    await bond.getByRole('button', { name: 'Remove bond' }).click();
    await page.getByText('No bonds yet').waitFor();
  });

  it('Webhooks: create (secret shown once), the tester against a local receiver, the delivery log', async () => {
    const { page } = a;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByText('No endpoints yet').waitFor();
    await page.getByRole('button', { name: 'Add an endpoint' }).click();
    await page.getByLabel('URL').fill(receiverUrl);
    await page.getByLabel('All events, including ones added later').uncheck();
    await page.getByLabel('agent.registered').check();
    await page.getByLabel('key.rotated').check();
    await expectAccessible(page, 'webhook form');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    expect(await page.locator('[data-secret="Signing secret"]').textContent()).toMatch(/^whsec_/);
    await page.getByLabel(/I have stored it/).check();
    await page.getByRole('button', { name: 'Done' }).click();

    const endpoint = page.locator('[data-webhook]');
    await endpoint.waitFor();
    expect(await endpoint.textContent()).toContain('agent.registered, key.rotated');
    await endpoint.getByLabel('Sample event').selectOption('key.rotated');
    await endpoint.getByRole('button', { name: 'Send test event' }).click();
    const result = endpoint.locator('[data-test-result]');
    await result.waitFor();
    expect(await result.getAttribute('data-test-result')).toBe('ok');
    expect(await result.locator('[data-status-code]').textContent()).toBe('200');
    expect(await result.textContent()).toMatch(/Latency \d+ ms/);
    expect(await result.textContent()).toContain('quack received');
    const hit = received.at(-1)!;
    expect(hit.headers['webhook-signature']).toMatch(/^v1,/);
    expect(JSON.parse(hit.body).type).toBe('key.rotated');

    await endpoint.getByText('Delivery log').click();
    const attempt = endpoint.locator('tr[data-attempt]').first();
    await attempt.waitFor();
    expect(await attempt.textContent()).toContain('key.rotated');
    await attempt.getByRole('button', { name: 'Replay' }).click();
    await endpoint.getByText(/queued for delivery again/).waitFor();

    await endpoint.getByRole('button', { name: 'Disable' }).click();
    await endpoint.getByRole('button', { name: 'Enable' }).waitFor();
    await expectAccessible(page, 'webhooks');
    await screenshot(page, 'webhooks');
  });

  it('Certificates: the public page verifies in the browser, then shows the revocation', async () => {
    const { page } = a;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Certificate' }).click();
    const share = page.locator('.share a');
    await share.waitFor();
    const link = (await share.getAttribute('href'))!;
    expect(link).toMatch(/^\/cert\/cert_\w+#credential=eyJ/);
    const certId = link.slice('/cert/'.length, link.indexOf('#'));
    await expectAccessible(page, 'my certificate');
    await screenshot(page, 'certificate');

    // Anyone (no session) opens the shared link.
    const anon = await newPage(browser, t.origin, errors);
    const p = anon.page;
    await p.goto(link);
    await p.locator('[data-verdict="valid"]').waitFor();
    const checks = await p.locator('.checks li').allTextContents();
    expect(checks.find((c) => c.includes('Signature'))).toMatch(/verified in this browser/);
    expect(checks.find((c) => c.includes('Revocation list'))).toMatch(/clear: not revoked/);
    await expectAccessible(p, 'public certificate');
    await screenshot(p, 'certificate-public');

    await page.getByRole('button', { name: 'Revoke…' }).click();
    await page.getByLabel('Reason (optional)').fill('key_compromise');
    await page.getByRole('button', { name: 'Revoke certificate' }).click();
    await page.getByRole('button', { name: 'Re-issue certificate' }).waitFor();

    // The same shared credential: its slot in the signed status list is now set.
    await p.reload();
    await p.locator('[data-verdict="revoked"]').waitFor();
    expect(await p.locator('.checks li').filter({ hasText: 'Revocation list' }).textContent()).toMatch(/is set: revoked/);
    await p.goto(`/cert/${certId}`);
    await p.locator('[data-verdict="revoked"]').waitFor();
    expect(await p.textContent('.verdict')).toContain('key_compromise');

    await page.getByRole('button', { name: 'Re-issue certificate' }).click();
    await page.locator('.share a').waitFor();
    expect(await page.locator('.share a').getAttribute('href')).not.toContain(certId);
    await anon.context.close();
  });

  it('Profile: a passkey (CDP virtual authenticator) to sign in with; T2 supersedes the certificate', async () => {
    const { page, context } = b;
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
    await page.getByText('No passkeys yet.').waitFor();
    await page.getByLabel('Name (optional)').fill('Test laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.locator('[data-passkey]').filter({ hasText: 'Test laptop' }).waitFor();

    // Trust elevation by phone: T2, a new certificate; the old one reads superseded.
    const phone = '+14155550123';
    await page.getByLabel('Phone number').fill(phone);
    await page.getByRole('button', { name: 'Text me a code' }).click();
    const sms = await until('the SMS code', () => t.otp(phone));
    await page.getByLabel('Code from the text message').fill(sms);
    await page.getByRole('button', { name: 'Verify phone' }).click();
    await page.getByText(/Your phone is verified/).waitFor();
    expect(await page.locator('.who .tier').textContent()).toBe('T2');
    await expectAccessible(page, 'profile');
    await screenshot(page, 'profile');
    await page.goto(`/cert/${bob.cert_id}`);
    await page.locator('[data-verdict="superseded"]').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('spaceduck.session'))).toBeNull();
    await page.getByRole('button', { name: 'Passkey' }).click();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('heading', { name: 'Mission Control' }).waitFor();
    expect(await page.locator('.who-name').textContent()).toContain(bob.display_name);
  });

  it('status, audit and directory pages; usable at 375 px', async () => {
    const { page } = a;
    await page.goto('/status');
    await page.locator('[data-status="operational"]').waitFor();
    await expectAccessible(page, 'status');
    await screenshot(page, 'status');
    await page.goto('/audit');
    await page.locator('tr[data-event]').first().waitFor();
    const events = await page.locator('tr[data-event]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event')));
    expect(events).toEqual(expect.arrayContaining(['key.rotated', 'cert.revoked']));
    await expectAccessible(page, 'audit');
    await page.goto('/directory');
    await page.getByRole('heading', { name: 'Directory' }).waitFor();
    await expectAccessible(page, 'directory');

    // Deregister the sub-agent: it leaves Mission Control and its counts.
    await page.goto('/');
    const jr = page.locator('tr[data-agent]').filter({ hasText: 'Scout Jr' });
    await jr.getByRole('button', { name: 'Deregister' }).click();
    await jr.getByRole('button', { name: 'Deregister Scout Jr' }).click();
    await jr.waitFor({ state: 'detached' });
    expect(await page.locator('[data-count="total"]').textContent()).toBe('1');

    await page.setViewportSize({ width: 375, height: 800 });
    for (const path of ['/', '/keys', '/pecks', '/webhooks', '/certificate', '/audit', '/status', '/profile']) {
      await page.goto(path);
      await page.locator('h1').waitFor();
      await page.waitForFunction(() => !document.querySelector('.loading'));
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `page width of ${path} at 375 px`).toBeLessThanOrEqual(375);
    }
    await page.goto('/');
    await page.locator('tr[data-agent]').first().waitFor();
    await screenshot(page, 'mission-control-375');
  });
});
