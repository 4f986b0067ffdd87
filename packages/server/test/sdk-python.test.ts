// The Python SDK's own suite (`python3 -m unittest`, standard library only) and the copy-ready
// examples of examples/sdk (the six seed-000 flows, in TypeScript and Python) against the built
// server started as a process, so CI exercises them. The server uses its embedded SQLite whatever
// the pass: these clients only see HTTP.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from './sdk-helpers.js';

const CLI = path.resolve(__dirname, '../dist/cli.js');
const PYTHON_SDK = path.resolve(__dirname, '../../../sdks/python');
const EXAMPLES = path.resolve(__dirname, '../../../examples/sdk');

/** Runs a process to completion: exit code and everything it printed. */
function exec(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ code: number | null; out: string }> {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: { PATH: process.env.PATH ?? '', PYTHONDONTWRITEBYTECODE: '1', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  return new Promise((r) => child.on('close', (code) => r({ code, out })));
}

let server: ReturnType<typeof spawn>;
let url: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spaceduck-py-'));
  server = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
    env: { PATH: process.env.PATH ?? '', SPACEDUCK_DATA_DIR: dataDir, SPACEDUCK_RATE_LIMITS: 'off', SPACEDUCK_WEBHOOK_ALLOW_PRIVATE: 'true', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stdout!.on('data', (d) => { log += d; });
  server.stderr!.on('data', (d) => { log += d; });
  const port = await eventually(() => /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log)?.[1], 20_000, 'the server to listen');
  url = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('python3 -m unittest passes against a live server, with nothing skipped', async () => {
  const { code, out } = await exec('python3', ['-m', 'unittest'], { cwd: PYTHON_SDK, env: { SPACEDUCK_TEST_URL: url } });
  expect(out, out).toMatch(/\nOK\s*$/);
  expect(code, out).toBe(0);
  expect(Number(/Ran (\d+) tests/.exec(out)?.[1])).toBeGreaterThanOrEqual(18);
}, 120_000);

it('the examples run: hatch, verify, peck, approve, pulse and rotate in both languages', async () => {
  const node = (file: string, args: string[], env: Record<string, string> = {}) =>
    exec(process.execPath, [path.join(EXAMPLES, 'typescript', file), ...args], { env: { SPACEDUCK_URL: url, ...env } });
  const python = (file: string, args: string[], env: Record<string, string> = {}) =>
    exec('python3', [path.join(EXAMPLES, 'python', file), ...args], { env: { SPACEDUCK_URL: url, PYTHONPATH: PYTHON_SDK, ...env } });
  const ok = (r: { code: number | null; out: string }, text: RegExp) => { expect(r.out, r.out).toMatch(text); expect(r.code, r.out).toBe(0); return r.out; };
  const field = (out: string, re: RegExp) => re.exec(out)![1]!;
  const dev = { SPACEDUCK_DEV_MAILBOX: '1' };

  const emails = ['a', 'b', 'c'].map((x) => `ex${x}${Date.now()}@example.com`);
  const a = ok(await node('hatch.mjs', [emails[0]!], dev), /Beak Key \(store safely\): bk_/);
  const b = ok(await python('hatch_example.py', [emails[1]!], dev), /Beak Key \(store safely\): bk_/);
  const c = ok(await node('hatch.mjs', [emails[2]!], dev), /Beak Key \(store safely\): bk_/);
  const [keyA, keyB, keyC] = [a, b, c].map((o) => field(o, /Beak Key \(store safely\): (bk_\w+)/));

  ok(await node('verify-certificate.mjs', [field(a, /Cert ID: (cert_\w+)/)]), /✓ VALID[\s\S]*Offline check: valid/);
  ok(await python('verify_cert.py', [field(b, /Cert ID: (cert_\w+)/)]), /✓ VALID[\s\S]*Offline check: valid/);

  const p1 = ok(await node('peck.mjs', [emails[1]!], { SPACEDUCK_BEAK_KEY: keyA! }), /Peck sent! peck_id=peck_/);
  ok(await python('approve_peck.py', [field(p1, /peck_id=(peck_\w+)/)], { SPACEDUCK_BEAK_KEY: keyB! }), /Bond status: bonded/);
  const p2 = ok(await python('peck_example.py', [emails[2]!], { SPACEDUCK_BEAK_KEY: keyB! }), /Peck sent! peck_id=peck_/);
  ok(await node('approve-peck.mjs', [field(p2, /peck_id=(peck_\w+)/)], { SPACEDUCK_BEAK_KEY: keyC! }), /Bond status: bonded/);

  const fastPulse = { PULSE_INTERVAL: '0.05', PULSE_COUNT: '2' };
  ok(await node('pulse.mjs', [], { SPACEDUCK_BEAK_KEY: keyA!, ...fastPulse }), /✓ Pulse sent — active[\s\S]*Stopped: terminated/);
  ok(await python('pulse_loop.py', [], { SPACEDUCK_BEAK_KEY: keyB!, ...fastPulse }), /✓ Pulse sent — active[\s\S]*Stopped: terminated/);
  ok(await python('async_agent.py', [], { SPACEDUCK_BEAK_KEY: keyC!, PULSE_INTERVAL: '0.05', RUN_SECONDS: '0.2' }), /now terminated/);

  const rotated = ok(await node('rotate-key.mjs', [], { SPACEDUCK_BEAK_KEY: keyA! }), /Key rotated/);
  expect(field(rotated, /\s+(bk_\w+)/)).not.toBe(keyA);
  ok(await python('rotate_key.py', [], { SPACEDUCK_BEAK_KEY: keyB! }), /Key rotated[\s\S]*bk_/);
}, 120_000);
