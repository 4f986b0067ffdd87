// GET /beak/agent/stream over a real socket: the owner's pulses and liveness changes, heartbeat
// comments, clean-up on disconnect and on shutdown, and (with PostgreSQL + Redis) a pulse on one
// node reaching a stream held by another node.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, makeApp, type Hatched, type TestApp } from './harness.js';
import { advance, openStream, pulse, registerAgent, until } from './agents-helpers.js';

let t: TestApp;
let base: string;
let a: Hatched;
let b: Hatched;
const subscribers = (app: TestApp['app']) => (app.deps.agents.feed as unknown as { listeners: Map<string, unknown> }).listeners.size;

beforeAll(async () => {
  t = await makeApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  [a, b] = [await t.hatch(), await t.hatch()];
});
afterAll(async () => { await t.close(); });

describe('agent stream', () => {
  it("streams the owner's pulses and liveness changes, and nothing of anyone else's", async () => {
    const ag = await registerAgent(t, a);
    const theirs = await registerAgent(t, b);
    const s = await openStream(base, a.token);
    try {
      expect(s.res.status).toBe(200);
      expect(s.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(s.res.headers.get('x-request-id')).toBeTruthy();
      expect((await s.next((e) => e.event === 'ready')).data.duckling_id).toBe(a.duckling_id);

      await pulse(t, theirs.beak_key, { meta: { other: 'duckling' } });
      expect((await pulse(t, ag.beak_key, { status: 'Active', meta: { agent_version: '1.0.0', uptime_seconds: 12 } })).status).toBe(200);
      const p = await s.next((e) => e.event === 'pulse' && e.data.agent_id === ag.agent_id);
      expect(p.data).toMatchObject({
        duckling_id: a.duckling_id, spaceduck_id: ag.agent_id, status: 'active', liveness: 'active', meta: { agent_version: '1.0.0', uptime_seconds: 12 },
      });
      await pulse(t, a.beak_key, { status: 'paused' });
      expect((await s.next((e) => e.event === 'pulse' && e.data.spaceduck_id === null)).data).toMatchObject({ duckling_id: a.duckling_id, liveness: 'paused' });

      await advance(t, 5 * 60_000);
      await t.app.deps.agents.sweep();
      const gone = await s.next((e) => e.event === 'liveness' && e.data.agent_id === ag.agent_id);
      expect(gone.data).toMatchObject({ liveness: 'inactive', previous: 'active' });

      await t.api('POST', '/beak/agent/deregister', { token: a.token, body: { agent_id: ag.agent_id } });
      expect((await s.next((e) => e.event === 'liveness' && e.data.liveness === 'terminated')).data.agent_id).toBe(ag.agent_id);
      expect(s.events.filter((e) => e.data.duckling_id === b.duckling_id)).toEqual([]);
      expect(JSON.stringify(s.events)).not.toContain('"other"');
    } finally {
      await s.close();
    }
    // Disconnecting releases the subscription.
    await until(() => subscribers(t.app) === 0, 5000, 'subscription released');
  });

  it('sends heartbeat comments while idle', async () => {
    t.app.deps.agents.feed.heartbeatMs = 25;
    const s = await openStream(base, a.token);
    try {
      await until(() => s.comments.filter((c) => c === 'ping').length >= 2, 5000, 'heartbeats');
    } finally {
      t.app.deps.agents.feed.heartbeatMs = 15_000;
      await s.close();
    }
  });

  it('is for the operator only', async () => {
    const anon = await fetch(`${base}/beak/agent/stream`);
    expect(anon.status).toBe(401);
    expect((await anon.json()).code).toBe('E4001');
    const ag = await registerAgent(t, a);
    const asAgent = await fetch(`${base}/beak/agent/stream`, { headers: { 'x-beak-key': ag.beak_key } });
    expect(asAgent.status).toBe(403);
    expect((await asAgent.json()).code).toBe('E4030');
    expect(subscribers(t.app)).toBe(0);
  });

  it.runIf(TEST_DATABASE_URL && TEST_REDIS_URL)('carries a pulse from one node to a stream held by another (Redis)', async () => {
    // A second node: its own process state, the same PostgreSQL schema and Redis.
    const node2 = await buildApp(t.config, { logger: false, clock: t.clock, schema: t.schema });
    try {
      await node2.listen({ port: 0, host: '127.0.0.1' });
      const base2 = `http://127.0.0.1:${(node2.server.address() as AddressInfo).port}`;
      const ag = await registerAgent(t, a);
      const s = await openStream(base2, a.token);
      try {
        await s.next((e) => e.event === 'ready');
        expect((await pulse(t, ag.beak_key, { meta: { from: 'node1' } })).status).toBe(200);
        const p = await s.next((e) => e.event === 'pulse' && e.data.agent_id === ag.agent_id);
        expect(p.data.meta).toEqual({ from: 'node1' });
        // Closing a node with a stream open ends the stream instead of hanging the shutdown.
        await node2.close();
        await until(() => s.ended, 5000, 'stream ended by the closing node');
      } finally {
        await s.close();
      }
    } finally {
      await node2.close();
    }
  });

  it('ends open streams when the server closes', async () => {
    const other = await makeApp();
    await other.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(other.app.server.address() as AddressInfo).port}`;
    const h = await other.hatch();
    const s = await openStream(url, h.token);
    await s.next((e) => e.event === 'ready');
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(5000);
    await until(() => s.ended, 5000, 'stream ended by the server');
    await s.close();
  });
});
