// The server as a process: startup errors, graceful shutdown, log redaction.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { until } from './harness.js';

const CLI = path.resolve(__dirname, '../dist/cli.js');

function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

const waitFor = (pred: () => boolean, ms = 15_000) => until(pred, ms, 'the server');

describe('spaceduck process', () => {
  it('an unreachable DATABASE_URL names the host and exits non-zero quickly', async () => {
    const p = run(['serve'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test', SPACEDUCK_PORT: '0' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('127.0.0.1:1');
  });

  it('an invalid setting is a clear startup error', async () => {
    const p = run(['serve'], { SPACEDUCK_PORT: 'eighty' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/SPACEDUCK_PORT must be an integer/);
  });

  it('production without SMTP refuses to start', async () => {
    const p = run(['serve'], { SPACEDUCK_ENV: 'production' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/SMTP_URL is required/);
  });

  it('serves, keeps secrets out of the log, and exits 0 on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spaceduck-proc-'));
    const p = run(['serve', '--port', '0'], { SPACEDUCK_DATA_DIR: dir, SPACEDUCK_RATE_LIMITS: 'off' });
    await waitFor(() => /listening on http:\/\/127\.0\.0\.1:(\d+)/.test(p.output()));
    const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(p.output())![1]);
    const secret = 'bk_' + 'S'.repeat(44);
    const r = await fetch(`http://127.0.0.1:${port}/beak/pulse?beak_key=${secret}`, {
      method: 'POST', headers: { authorization: `Bearer ${secret}`, 'x-beak-key': secret, 'content-type': 'application/json' },
      body: JSON.stringify({ beak_key: secret, password: 'hunter2hunter2' }),
    });
    expect(r.headers.get('x-request-id')).toBeTruthy();
    const ok = await fetch(`http://127.0.0.1:${port}/beak/`);
    expect(ok.status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('/beak/pulse?beak_key=[REDACTED]');
    expect(p.output()).not.toContain(secret);
    expect(p.output()).not.toContain('hunter2hunter2');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('spaceduck migrate applies migrations and is idempotent', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spaceduck-mig-'));
    const a = run(['migrate'], { SPACEDUCK_DATA_DIR: dir });
    expect(await a.exited).toBe(0);
    expect(a.output()).toMatch(/applied: 0001_platform/);
    const b = run(['migrate'], { SPACEDUCK_DATA_DIR: dir });
    expect(await b.exited).toBe(0);
    expect(b.output()).toMatch(/up to date/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
