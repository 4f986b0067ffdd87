// The console plugin over inject: cache headers of hashed assets and index.html, pre-compressed
// bodies, the SPA fallback, the API namespaces keeping their JSON 404, and a missing build.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installHttpKernel } from '../src/kernel/http.js';
import { consoleRoutes } from '../src/console/routes.js';
import type { App } from '../src/app.js';
import { isEnvelope, makeApp, type Res, type TestApp } from './harness.js';
import { CONSOLE_DIST, ensureConsoleBuilt } from './console-helpers.js';

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('console: static plugin', () => {
  let t: TestApp;
  let script: string;
  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await makeApp();
    script = /src="(\/assets\/[^"]+\.js)"/.exec(fs.readFileSync(path.join(CONSOLE_DIST, 'index.html'), 'utf8'))![1]!;
  });
  afterAll(() => t?.close());

  const expectSecurityHeaders = (r: Res) => {
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
  };

  it('serves index.html at / with no-cache and a strict CSP', async () => {
    const r = await t.api('GET', '/', { headers: html });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.text).toContain('<div id="root">');
    expect(r.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expectSecurityHeaders(r);
    const again = await t.api('GET', '/', { headers: { ...html, 'if-none-match': String(r.headers.etag) } });
    expect(again.status).toBe(304);
  });

  it('serves hashed assets immutable for a year, pre-compressed when accepted', async () => {
    const plain = await t.api('GET', script);
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toMatch(/^text\/javascript/);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expectSecurityHeaders(plain);
    expect(Buffer.byteLength(plain.text)).toBe(fs.statSync(path.join(CONSOLE_DIST, script)).size);

    const br = await t.app.inject({ method: 'GET', url: script, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(br.rawPayload.length).toBe(fs.statSync(path.join(CONSOLE_DIST, `${script}.br`)).size);
    const gz = await t.app.inject({ method: 'GET', url: script, headers: { 'accept-encoding': 'gzip, br;q=0' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
  });

  it('answers a browser deep link with the app, and nothing else', async () => {
    for (const url of ['/keys', '/cert/cert_01JABCDEFGHJKMNPQRSTVWXYZ0', '/signin?next=%2Fkeys']) {
      const r = await t.api('GET', url, { headers: html });
      expect(r.status, url).toBe(200);
      expect(r.text).toContain('<div id="root">');
      expect(r.headers['cache-control']).toBe('no-cache');
    }
    // Not a browser asking for a page, or a file that does not exist: the JSON 404.
    expect(isEnvelope(await t.api('GET', '/keys', { headers: { accept: 'application/json' } }), 'E4040')).toBe(true);
    expect(isEnvelope(await t.api('GET', '/assets/nope-123.js', { headers: html }), 'E4040')).toBe(true);
    expect(isEnvelope(await t.api('GET', '/missing.png', { headers: html }), 'E4040')).toBe(true);
    expect((await t.api('POST', '/keys', { headers: html, body: {} })).status).toBe(404);
  });

  it('never falls back to the app under /beak, /docs or /.well-known', async () => {
    for (const url of ['/beak/nope', '/beak', '/.well-known/nope', '/beak/cert/nope/deeper']) {
      const r = await t.api('GET', url, { headers: html });
      expect(r.status, url).toBe(404);
      expect(r.headers['content-type'], url).toMatch(/^application\/json/);
      expect(isEnvelope(r, 'E4040'), url).toBe(true);
    }
    const wrongMethod = await t.api('GET', '/beak/signup', { headers: html });
    expect(wrongMethod.status).toBe(405);
    expect(isEnvelope(wrongMethod)).toBe(true);
    expect((await t.api('GET', '/docs/nope', { headers: html })).text).not.toContain('<div id="root">');
    // The API itself is untouched.
    const about = await t.api('GET', '/beak/', { headers: html });
    expect(about.json.service).toBe('spaceduck');
    expect(about.headers['content-security-policy']).toBeUndefined();
  });

  it('keeps the console routes out of the OpenAPI document', async () => {
    const doc = await t.api('GET', '/beak/openapi.json');
    expect(Object.keys(doc.json.paths)).not.toContain('/*');
    expect(Object.keys(doc.json.paths)).not.toContain('/');
  });
});

describe('console: not built', () => {
  let app: App;
  let empty: string;
  beforeAll(async () => {
    empty = fs.mkdtempSync(path.join(os.tmpdir(), 'spaceduck-console-'));
    app = Fastify({ logger: false }) as unknown as App;
    installHttpKernel(app);
    await app.register(consoleRoutes, { root: empty });
    await app.ready();
  });
  afterAll(async () => { await app?.close(); fs.rmSync(empty, { recursive: true, force: true }); });

  it('explains how to build it instead of failing', async () => {
    const page = await app.inject({ method: 'GET', url: '/', headers: html });
    expect(page.statusCode).toBe(503);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('npm run build');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const json = await app.inject({ method: 'GET', url: '/', headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(503);
    expect(JSON.parse(json.body).code).toBe('E5030');
    expect((await app.inject({ method: 'GET', url: '/assets/index-abc.js' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/keys', headers: html })).statusCode).toBe(503);
  });
});
