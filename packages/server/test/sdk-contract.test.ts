// The SDK cannot drift from the server, and its core runs in a browser:
// - regenerating src/generated/openapi.ts from the built server gives the checked-in file;
// - the core entry imports nothing from Node;
// - the built core loads in Chromium and hatches, verifies a certificate offline and checks a
//   webhook signature there (same origin: a small server serves the SDK and proxies /beak).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { liveApp, type LiveApp } from './sdk-helpers.js';

const SDK = path.resolve(__dirname, '../../sdk');

// The page's own module script: what an application in a browser would write.
const PAGE = `<!doctype html><title>sdk</title><script type="module">
import * as sdk from '/sdk/index.js';
const email = new URLSearchParams(location.search).get('email');
try {
  const duck = new sdk.SpaceDuck({ baseUrl: location.origin });
  await duck.hatch({ email, password: 'correct horse battery staple' });
  const code = (await duck.devMailbox(email)).messages[0].otp;
  const v = await duck.verify({ email, code });
  const cert = await duck.certs.verifyOffline((await duck.certs.verify(v.cert_id)).credential);
  // Sign a webhook the way the server does (HMAC-SHA256), then verify it with the SDK.
  const secret = 'whsec_' + btoa('browser secret');
  const body = JSON.stringify({ id: 'evt_b', type: 'duckling.verified', created_at: '2026-11-23T00:00:00Z', data: {} });
  const ts = String(Math.floor(Date.now() / 1000));
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('browser secret'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode('evt_b.' + ts + '.' + body)));
  const headers = new Headers({ 'webhook-id': 'evt_b', 'webhook-timestamp': ts, 'webhook-signature': 'v1,' + btoa(String.fromCharCode(...mac)) });
  const event = await sdk.verifyWebhook(body, headers, secret);
  const rejected = await sdk.verifyWebhook(body + ' ', headers, secret).then(() => 'accepted', (e) => e.name);
  window.result = { tier: v.trust_tier, cert: { valid: cert.valid, status: cert.status }, event: event.type, rejected };
} catch (e) { window.result = { error: String(e && e.stack || e) }; }
</script>`;

describe('generated types', () => {
  it('regenerating from the server gives the checked-in file (run `npm run generate -w @spaceduck/sdk` after changing a route schema)', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sdk-gen-')), 'openapi.ts');
    await promisify(execFile)(process.execPath, [path.join(SDK, 'scripts/generate.mjs'), '--out', out], { cwd: SDK });
    const fresh = fs.readFileSync(out, 'utf8');
    const committed = fs.readFileSync(path.join(SDK, 'src/generated/openapi.ts'), 'utf8');
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
    expect(fresh === committed, 'src/generated/openapi.ts is stale: run `npm run generate -w @spaceduck/sdk`').toBe(true);
  }, 60_000);
});

describe('browser-safe core', () => {
  it('imports nothing from Node in the core entry', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        const spec = m[1]!;
        expect(spec.startsWith('.'), `${path.relative(SDK, file)} imports "${spec}"`).toBe(true);
        visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      }
      expect(/\bBuffer\b|\bprocess\.|\brequire\(/.test(text.replace(/\/\/.*$/gm, '')), `${path.relative(SDK, file)} uses a Node global`).toBe(false);
    };
    visit(path.join(SDK, 'src/index.ts'));
    expect(seen.size).toBeGreaterThan(5);
    expect([...seen].some((f) => f.includes(`${path.sep}node${path.sep}`))).toBe(false);
  });

  describe('in Chromium', () => {
    let t: LiveApp;
    let front: http.Server;
    let browser: Browser;
    let origin: string;

    beforeAll(async () => {
      t = await liveApp();
      // Same origin for the page, the SDK files and the API (the API sends no CORS headers).
      front = http.createServer((req, res) => {
        if (req.url!.startsWith('/sdk/')) {
          const file = path.join(SDK, 'dist', path.normalize(req.url!.slice(5)).replace(/^(\.\.[/\\])+/, ''));
          if (!fs.existsSync(file)) { res.writeHead(404).end(); return; }
          res.writeHead(200, { 'content-type': 'text/javascript' }).end(fs.readFileSync(file));
          return;
        }
        if (req.url!.startsWith('/?')) { res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE); return; }
        const up = http.request(`${t.url}${req.url}`, { method: req.method, headers: req.headers }, (r) => { res.writeHead(r.statusCode!, r.headers); r.pipe(res); });
        req.pipe(up);
      });
      await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
      origin = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'] });
    });
    afterAll(async () => {
      await browser?.close();
      front?.close();
      await t?.close();
    });

    it('hatches, verifies a certificate offline and a webhook signature', async () => {
      expect(fs.existsSync(path.join(SDK, 'dist/index.js')), 'build the SDK first: npm run build -w @spaceduck/sdk').toBe(true);
      const page = await browser.newPage();
      const email = `browser${Date.now()}@example.com`;
      await page.goto(`${origin}/?email=${encodeURIComponent(email)}`);
      const result = await (await page.waitForFunction(() => (window as unknown as { result?: unknown }).result, null, { timeout: 20_000 })).jsonValue();
      expect(result).toEqual({ tier: 'T1', cert: { valid: true, status: 'valid' }, event: 'duckling.verified', rejected: 'WebhookVerificationError' });
    });
  });
});
