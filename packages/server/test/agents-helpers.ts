// Helpers for the agents / keys / directory suites: registering agents and reading an SSE
// stream over a real socket.
import { expect } from 'vitest';
import type { Hatched, TestApp } from './harness.js';
import { until as waitUntil } from './harness.js';

export interface Agent { spaceduck_id: string; agent_id: string; beak_key: string; handshake_token: string; key_id: string; [k: string]: any }

export async function registerAgent(t: TestApp, owner: Hatched, body: Record<string, unknown> = {}): Promise<Agent> {
  const r = await t.api('POST', '/beak/agent/register', { token: owner.token, body: { agent_name: 'Bot', ...body } });
  expect(r.status, r.text).toBe(200);
  return r.json as Agent;
}

/** Moves the test clock (async so a suite reads the same whatever it must wait for). */
export async function advance(t: TestApp, ms: number): Promise<void> {
  t.clock.advance(ms);
}

/** A fresh session for a duckling whose token the moved clock may have expired. */
export async function refresh(t: TestApp, h: Hatched): Promise<Hatched> {
  const r = await t.api('POST', '/beak/signin', { body: { email: h.email, password: h.password } });
  expect(r.status, r.text).toBe(200);
  h.token = r.json.access_token;
  return h;
}

export const pulse = (t: TestApp, credential: string, body: Record<string, unknown> = {}) =>
  t.api('POST', '/beak/pulse', { token: credential, body });

/** The audit log of a duckling, oldest first, as raw text and entries. */
export async function audit(t: TestApp, owner: Hatched) {
  const r = await t.api('GET', '/beak/audit?limit=100', { token: owner.token });
  expect(r.status).toBe(200);
  return { text: r.text, entries: [...r.json.entries].reverse() as { event_type: string; target_id: string | null; detail: any }[] };
}

/** Polls `check` until it returns a truthy value or the deadline passes. */
/** The harness's `until`, with this suite's shorter default deadline. */
export const until = <T>(check: () => T | Promise<T>, ms = 5000, what = 'condition') => waitUntil(check, ms, what);

export interface SseEvent { event: string; data: any }

/** An SSE client over fetch: collects events and comments; `next` waits for a matching event. */
export async function openStream(baseUrl: string, token: string | undefined, path = '/beak/agent/stream') {
  const ac = new AbortController();
  const res = await fetch(baseUrl + path, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: ac.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let buffer = '';
  const state = { ended: false };
  const pump = (async () => {
    if (!res.body || res.status !== 200) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length) events.push({ event, data: JSON.parse(data.join('\n')) });
        }
      }
    } catch { /* aborted */ }
    state.ended = true;
  })();
  return {
    res, events, comments,
    /** true once the server has ended the stream (or it was closed here). */
    get ended() { return state.ended; },
    next: (pred: (e: SseEvent) => boolean, ms = 5000) => until(() => events.find(pred), ms, 'stream event'),
    async close() { ac.abort(); await pump; },
  };
}
