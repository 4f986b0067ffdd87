// The `spaceduck` client commands, run as the built command against the real server on a socket,
// each test with its own credentials file (SPACEDUCK_CONFIG in a temp folder).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpaceDuck } from '../../sdk/src/index.js';
import { uniq } from './harness.js';
import { eventually, liveApp, type LiveApp } from './sdk-helpers.js';

const CLI = path.resolve(__dirname, '../dist/cli.js');

let t: LiveApp;
let dir: string;
beforeAll(async () => {
  t = await liveApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spaceduck-cli-'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Proc { child: ChildProcessWithoutNullStreams; out: () => string; err: () => string; exited: Promise<number | null> }

function start(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: dir, SPACEDUCK_CONFIG: path.join(dir, 'config.json'), SPACEDUCK_URL: t.url, ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, out: () => out, err: () => err, exited };
}

async function run(args: string[], env: Record<string, string> = {}, input?: string) {
  const p = start(args, env);
  p.child.stdin.end(input ?? '');
  const code = await p.exited;
  return { code, out: p.out(), err: p.err(), json: () => JSON.parse(p.out()) };
}

const config = () => JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));

describe('spaceduck client commands', () => {
  let email: string;

  it('hatch asks for the emailed code, saves the credentials 0600, and whoami reads them', async () => {
    email = `${uniq('cli')}@example.com`;
    const p = start(['hatch', '--email', email, '--password', 'correct horse battery staple', '--json']);
    await eventually(() => p.err().includes('Verification code:'), 15_000, 'the code prompt');
    p.child.stdin.end(`${await t.otp(email)}\n`);
    expect(await p.exited).toBe(0);
    const out = JSON.parse(p.out());
    expect(out).toMatchObject({ email, trust_tier: 'T1', profile: 'default' });
    expect(out.beak_key).toMatch(/^bk_/);
    expect(fs.statSync(path.join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(config().profiles.default).toMatchObject({ beak_key: out.beak_key, duckling_id: out.duckling_id, base_url: t.url });

    const who = await run(['whoami', '--json']);
    expect(who.code).toBe(0);
    expect(who.json()).toMatchObject({ duckling_id: out.duckling_id, email, credential: 'session' });
  });

  it('registers an agent into its own profile; pulse once and every N s (terminating on Ctrl+C); key rotate updates the profile', async () => {
    const reg = await run(['agent', 'register', 'CliBot', '--capability', 'query', '--save-profile', 'bot', '--json']);
    expect(reg.code).toBe(0);
    const agent = reg.json();
    expect(agent).toMatchObject({ agent_name: 'CliBot', bonded: true, saved_profile: 'bot' });
    expect(config().profiles.bot).toMatchObject({ beak_key: agent.beak_key, spaceduck_id: agent.spaceduck_id });

    const once = await run(['pulse', '--profile', 'bot', '--meta', 'agent_version=1.0.0', '--json']);
    expect(once.code).toBe(0);
    expect(once.json()).toMatchObject({ status: 'ok', liveness: 'active', spaceduck_id: agent.spaceduck_id });

    const loop = start(['pulse', '--profile', 'bot', '--every', '1', '--json']);
    await eventually(() => loop.out().trim().split('\n').filter(Boolean).length >= 1, 15_000, 'the first pulse');
    loop.child.kill('SIGINT');
    expect(await loop.exited).toBe(0);
    const lines = loop.out().trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].liveness).toBe('active');
    expect(lines.at(-1).liveness).toBe('terminated');

    const rot = await run(['key', 'rotate', '--profile', 'bot', '--json']);
    expect(rot.code).toBe(0);
    const fresh = rot.json().new_beak_key;
    expect(fresh).not.toBe(agent.beak_key);
    expect(config().profiles.bot.beak_key).toBe(fresh);
    expect((await run(['pulse', '--profile', 'bot', '--json'])).code).toBe(0);

    const listed = await run(['agent', 'list', '--json']);
    expect(listed.json().agents.map((a: { agent_id: string }) => a.agent_id)).toContain(agent.agent_id);
    const keys = await run(['key', 'list']);
    expect(keys.out).toMatch(/KEY ID\s+OWNER/);
    expect(keys.out).not.toContain(fresh);
  });

  it('peck send / approve / list, and certificate verification online and offline', async () => {
    const b = await t.hatch();
    const sent = await run(['peck', 'send', b.email, '--purpose', 'CLI test', '--json']);
    expect(sent.code).toBe(0);
    const peckId = sent.json().peck_id;
    const approved = await run(['peck', 'approve', peckId, '--json'], { SPACEDUCK_BEAK_KEY: b.beak_key });
    expect(approved.json()).toMatchObject({ approved: true, status: 'bonded' });
    const list = await run(['peck', 'list', '--direction', 'sent']);
    expect(list.out).toContain(peckId);

    const certId = config().profiles.default.cert_id;
    const online = await run(['cert', 'verify', certId]);
    expect([online.code, online.out]).toEqual([0, expect.stringContaining('✓ VALID')]);
    const offline = await run(['cert', 'verify', certId, '--offline', '--json']);
    expect(offline.code).toBe(0);
    expect(offline.json()).toMatchObject({ valid: true, checked: 'offline', cert_id: certId });
    await new SpaceDuck({ baseUrl: t.url, beakKey: config().profiles.default.beak_key }).certs.revoke('test');
    const revoked = await run(['cert', 'verify', certId, '--offline']);
    expect(revoked.code).toBe(1);
    expect(revoked.out).toContain('NOT VALID');
  });

  it('webhook listen registers an endpoint, verifies and forwards deliveries, and removes the endpoint on exit', async () => {
    const forwarded: http.IncomingHttpHeaders[] = [];
    const target = http.createServer((req, res) => { forwarded.push(req.headers); req.resume(); res.end('ok'); });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const forwardTo = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hooks`;

    const listen = start(['webhook', 'listen', '--forward-to', forwardTo, '--json']);
    const ready = JSON.parse(await eventually(() => listen.out().split('\n').find((l) => l.includes('"ready"')), 15_000, 'the ready line'));
    expect(ready.secret).toMatch(/^whsec_/);
    const tested = await run(['webhook', 'test', ready.webhook_id, '--event', 'peck.sent', '--json']);
    expect(tested.json()).toMatchObject({ ok: true, status_code: 200 });
    const event = JSON.parse(await eventually(() => listen.out().split('\n').find((l) => l.includes('"peck.sent"')), 10_000, 'the event line'));
    expect(event.forwarded.status).toBe(200);
    expect(forwarded[0]!['webhook-signature']).toMatch(/^v1,/);

    listen.child.kill('SIGINT');
    expect(await listen.exited).toBe(0);
    const left = await run(['webhook', 'list', '--json']);
    expect(left.json().webhooks.map((w: { webhook_id: string }) => w.webhook_id)).not.toContain(ready.webhook_id);
    target.close();
  });

  it('says clearly what went wrong', async () => {
    const api = await run(['peck', 'approve', 'peck_01ZZZZZZZZZZZZZZZZZZZZZZZZ', '--json']);
    expect(api.code).toBe(1);
    expect(JSON.parse(api.err).error).toMatchObject({ status: 404, code: 'E4040' });
    const usage = await run(['agent', 'frobnicate']);
    expect([usage.code, usage.err]).toEqual([2, expect.stringContaining('unknown agent subcommand')]);
    const anon = await run(['whoami'], { SPACEDUCK_CONFIG: path.join(dir, 'nobody.json') });
    expect([anon.code, anon.err]).toEqual([2, expect.stringContaining('spaceduck login')]);
    const down = await run(['cert', 'verify', 'cert_x'], { SPACEDUCK_URL: 'http://127.0.0.1:9' });
    expect([down.code, down.err]).toEqual([1, expect.stringContaining('Is the server running')]);
  });
});
