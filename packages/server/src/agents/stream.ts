// The live feed behind GET /beak/agent/stream: pulses and liveness changes of one duckling's
// identities. With Redis every node publishes to a per-duckling channel and every node holding
// a stream for that duckling receives it (one shared subscriber connection per node); without
// Redis the feed is in-process. Delivery is best effort by design: the stream is a live view,
// the database stays the record.
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Deps } from '../app.js';

export type LiveMessage =
  | { type: 'pulse'; duckling_id: string; spaceduck_id: string | null; agent_id: string | null; status: string; liveness: string; last_seen: string; meta: Record<string, unknown> | null }
  | { type: 'liveness'; duckling_id: string; spaceduck_id: string; agent_id: string; liveness: string; previous: string; at: string };

type Listener = (m: LiveMessage) => void;

const CHANNEL = 'spaceduck:live:';
/** A client this far behind is dropped rather than buffered without bound. */
const MAX_BUFFERED = 1 << 20;

export class LiveFeed {
  /** Comment lines keep proxies and load balancers from closing an idle stream. */
  heartbeatMs = 15_000;
  private listeners = new Map<string, { fns: Set<Listener>; ready: Promise<void> }>();
  private subscriber: Redis | null = null;
  private streams = new Set<() => void>();
  private readonly origin = randomUUID();

  constructor(private readonly d: Deps) {}

  /** This node's streams hear it at once; other nodes' through Redis (they skip their own echoes). */
  publish(m: LiveMessage): void {
    this.deliver(m);
    const redis = this.d.redis;
    if (redis && redis.status === 'ready') {
      redis.publish(CHANNEL + m.duckling_id, JSON.stringify({ origin: this.origin, m })).catch(() => { /* other nodes miss a live event */ });
    }
  }

  /** Resolves once the subscription is live, so nothing published afterwards can be missed. */
  async subscribe(ducklingId: string, fn: Listener): Promise<() => void> {
    let entry = this.listeners.get(ducklingId);
    if (!entry) {
      entry = { fns: new Set(), ready: this.redisSubscribe(ducklingId) };
      this.listeners.set(ducklingId, entry);
    }
    entry.fns.add(fn);
    await entry.ready;
    return () => {
      const e = this.listeners.get(ducklingId);
      if (!e) return;
      e.fns.delete(fn);
      if (e.fns.size) return;
      this.listeners.delete(ducklingId);
      if (this.subscriber) this.subscriber.unsubscribe(CHANNEL + ducklingId).catch(() => { /* closing */ });
    };
  }

  private async redisSubscribe(ducklingId: string): Promise<void> {
    const sub = this.redisSubscriber();
    if (!sub) return;
    // Redis down: serve the stream anyway (it still gets this node's own events) rather than hang.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('subscribe timed out')), 2000); });
    await Promise.race([sub.subscribe(CHANNEL + ducklingId), timeout])
      .catch((err: Error) => this.d.log.warn({ err: err.message }, 'live feed: subscribe failed'))
      .finally(() => clearTimeout(timer));
  }

  /** Serves one SSE client until it disconnects or the server closes. */
  async serve(request: FastifyRequest, reply: FastifyReply, ducklingId: string): Promise<void> {
    const res = reply.raw;
    let closed = false;
    let heartbeat: NodeJS.Timeout | undefined;
    let unsubscribe: (() => void) | undefined;
    const write = (chunk: string) => {
      if (closed) return;
      res.write(chunk);
      if (res.writableLength > MAX_BUFFERED) close();
    };
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe?.();
      this.streams.delete(close);
      res.end();
    };
    reply.hijack();
    this.streams.add(close);
    request.raw.on('close', close);
    res.on('error', close);
    unsubscribe = await this.subscribe(ducklingId, (m) => write(`event: ${m.type}\ndata: ${JSON.stringify(m)}\n\n`));
    if (closed) { unsubscribe(); return; }
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string | string[] | number>),
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive', 'x-accel-buffering': 'no',
    });
    write(`retry: 3000\n: connected\n\nevent: ready\ndata: ${JSON.stringify({ duckling_id: ducklingId })}\n\n`);
    heartbeat = setInterval(() => write(': ping\n\n'), this.heartbeatMs);
  }

  /** Ends every open stream (before the HTTP server waits for connections to finish). */
  closeStreams(): void {
    for (const close of [...this.streams]) close();
  }

  close(): void {
    this.closeStreams();
    this.subscriber?.disconnect();
    this.subscriber = null;
  }

  private deliver(m: LiveMessage): void {
    const entry = this.listeners.get(m.duckling_id);
    if (entry) for (const fn of entry.fns) fn(m);
  }

  private redisSubscriber(): Redis | null {
    if (!this.d.redis) return null;
    if (!this.subscriber) {
      // A subscribing connection can issue nothing else, hence its own. It queues while
      // (re)connecting and re-subscribes by itself after a reconnect.
      this.subscriber = this.d.redis.duplicate({ lazyConnect: false, enableOfflineQueue: true, maxRetriesPerRequest: null });
      this.subscriber.on('error', (err: Error) => this.d.log.warn({ err: err.message }, 'live feed: redis error'));
      this.subscriber.on('message', (channel: string, payload: string) => {
        if (!channel.startsWith(CHANNEL)) return;
        try {
          const { origin, m } = JSON.parse(payload) as { origin: string; m: LiveMessage };
          if (origin !== this.origin) this.deliver(m);
        } catch { /* not ours */ }
      });
    }
    return this.subscriber;
  }
}
