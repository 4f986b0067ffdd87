// At-least-once across a crash: the server process is SIGKILLed with deliveries both queued
// and in flight; restarted on the same data folder, it delivers every event.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startReceiver, until } from './webhooks-helpers.js';

const CLI = path.resolve(__dirname, '../dist/cli.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spaceduck-crash-'));
const ENV = { SPACEDUCK_DATA_DIR: dir, SPACEDUCK_RATE_LIMITS: 'off', SPACEDUCK_WEBHOOK_ALLOW_PRIVATE: 'true', SPACEDUCK_WEBHOOK_RETRY_SCHEDULE: '1,1,1', LOG_LEVEL: 'warn' };

function serve() {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { env: { PATH: process.env.PATH ?? '', ...ENV, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const url = until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], 20_000, `the server to listen (${out.slice(-300)})`);
  return { child, exited, url };
}

async function call(base: string, method: string, p: string, body?: unknown, token?: string) {
  const r = await fetch(base + p, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: r.status, json: await r.json() as any };
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!fs.existsSync(CLI))('webhook delivery across a crash (SIGKILL)', () => {
  it('loses nothing: queued and in-flight deliveries are all made after a restart', async () => {
    const rcv = await startReceiver();
    const answered = new Set<string>();
    let hang = true;
    const parked: (() => void)[] = [];
    rcv.answer = async (g) => {
      if (hang) { // never answered while the first process lives
        await new Promise<void>((resolve) => parked.push(resolve));
        return { status: 503 };
      }
      answered.add(g.id);
      return {};
    };
    let server = serve();
    try {
      const base = await server.url;
      const email = `crash${Date.now()}@example.com`;
      expect((await call(base, 'POST', '/beak/signup', { email, password: 'correct horse battery staple' })).status).toBe(200);
      const mail = await call(base, 'GET', `/beak/dev/mail?to=${encodeURIComponent(email)}`);
      const v = await call(base, 'POST', '/beak/verify', { email, otp: mail.json.messages[0].otp });
      expect(v.status).toBe(200);
      const hook = await call(base, 'POST', '/beak/webhooks', { url: `${rcv.url}/crash`, events: ['*'] }, v.json.access_token);
      expect(hook.status).toBe(200);

      // Events recorded through the real outbox by a second process on the same database.
      const side = await buildApp(loadConfig({ ...ENV, SPACEDUCK_ENV: 'test', LOG_LEVEL: 'silent' }), { logger: false });
      const ids: string[] = [];
      try {
        for (let i = 0; i < 30; i++) {
          const ev = await side.deps.db.kysely.transaction().execute((tx) =>
            side.deps.events.record(tx, { type: i % 2 ? 'peck.received' : 'agent.registered', ducklingId: v.json.duckling_id, data: { i } }));
          ids.push(ev.id);
        }
      } finally { await side.close(); }

      await until(() => rcv.inflight >= 4, 10_000, 'attempts in flight'); // one endpoint holds at most half the slots
      const status = await call(base, 'GET', '/beak/system/status');
      expect(status.json.components.webhooks.backlog).toBe(30); // some in flight, the rest queued: none settled
      const inFlight = new Set(rcv.got.map((g) => g.id));
      server.child.kill('SIGKILL');
      expect(await server.exited).toBe(-1);

      hang = false;
      for (const release of parked) release();
      server = serve();
      const base2 = await server.url;
      await until(() => ids.every((id) => answered.has(id)), 20_000, 'every event to be delivered');
      await until(async () => (await call(base2, 'GET', '/beak/system/status')).json.components.webhooks.backlog === 0, 5000, 'an empty backlog');
      for (const id of inFlight) expect(rcv.got.filter((g) => g.id === id).length).toBeGreaterThanOrEqual(2);
      expect(new Set(rcv.got.map((g) => g.id))).toEqual(new Set(ids));
    } finally {
      if (server.child.exitCode === null) { server.child.kill('SIGTERM'); await server.exited; }
      await rcv.close();
    }
  }, 60_000);
});
