// Helpers for the console's tests: the built SPA, a real listening server, and Chromium.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { ManualClock } from '../src/kernel/clock.js';
import { makeApp, type TestApp } from './harness.js';

export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist/', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);

/** `npm test` builds the console first (pretest); a lone `vitest run` of these files builds it here. */
export function ensureConsoleBuilt(): void {
  const built = () => fs.existsSync(path.join(CONSOLE_DIST, 'index.html'));
  if (built()) return;
  // Test files run in parallel workers: one builds, the others wait for it.
  const lock = path.join(os.tmpdir(), 'spaceduck-console-build.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try { fs.mkdirSync(lock); break; } catch { /* held */ }
    if (built()) return;
    if (Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 180_000) fs.rmSync(lock, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error('timed out waiting for the console build');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
  try {
    if (built()) return;
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    execFileSync('npm', ['run', 'build', '--silent', '-w', '@spaceduck/console'], { cwd: root, stdio: 'ignore' });
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

export interface LiveApp extends TestApp { origin: string }

/**
 * The real app on a real socket, reached as http://localhost:<port> (a secure context, and a
 * valid WebAuthn RP id). The clock starts at real time so the browser and server agree on "now"
 * (certificate and status-list validity windows are checked in the browser).
 */
export async function listenApp(env: Record<string, string> = {}): Promise<LiveApp> {
  ensureConsoleBuilt();
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const origin = `http://localhost:${port}`;
    const t = await makeApp({ SPACEDUCK_PUBLIC_URL: origin, ...env }, { clock: new ManualClock(Date.now()) });
    try {
      await t.app.listen({ port, host: '127.0.0.1' });
      return Object.assign(t, { origin });
    } catch (err) {
      await t.close();
      if (attempt >= 3 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'] });
}

/** Console errors and CSP violations seen by a page; a test asserts the list stays empty. */
export function watchErrors(page: Page, into: string[]): void {
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    // Failed API calls (a 4xx the page shows as a message) are logged by Chromium as resource errors.
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    into.push(text);
  });
  page.on('pageerror', (e) => into.push(`pageerror: ${e.message}`));
}

export async function newPage(browser: Browser, origin: string, errors: string[]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: origin, viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await context.newPage();
  // Report CSP violations through the console, where watchErrors sees them.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  watchErrors(page, errors);
  return { context, page };
}

const AXE = fileURLToPath(new URL('../../../node_modules/axe-core/axe.min.js', import.meta.url));
let axeSource: string | null = null;

/**
 * Runs axe-core on the page and returns its serious and critical violations. Injected through
 * the DevTools protocol (page.evaluate), which the page's CSP does not govern, so the CSP stays on.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= fs.readFileSync(AXE, 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')).join(', ')}`);
  });
  return result as string[];
}

/** Saves a screenshot when CONSOLE_SCREENSHOTS names a folder (used to refresh docs/screenshots). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.CONSOLE_SCREENSHOTS;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
