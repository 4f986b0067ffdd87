// Token-bucket stores. A bucket holds up to `capacity` tokens and gains `limit` every `windowMs`;
// a request takes one. Several buckets can be taken together, all or nothing (an authenticated
// call to a public route spends from its principal's bucket and its IP's bucket at once).
import crypto from 'node:crypto';
import type { Redis } from 'ioredis';

export interface BucketSpec {
  key: string;
  capacity: number;
  limit: number;
  windowMs: number;
}

export interface Taken {
  allowed: boolean;
  /** Tokens left in each bucket after this call, in the order given. */
  tokens: number[];
}

/**
 * Refill uses `elapsed * limit / windowMs` (exact integers until the division) and snaps values
 * within 1e-9 of an integer, so a bucket refilled for exactly one token's time holds exactly one.
 */
const snap = (t: number): number => (Math.abs(t - Math.round(t)) < 1e-9 ? Math.round(t) : t);

interface State { tokens: number; ts: number; fullAt: number }

/** In-process buckets: bounded, and a bucket that has refilled to full is forgotten. */
export class MemoryBuckets {
  private readonly buckets = new Map<string, State>();
  private nextSweep = 0;

  constructor(private readonly maxBuckets = 100_000) {}

  get size(): number { return this.buckets.size; }

  /**
   * `cost` 1 spends a token from every bucket, or from none when one is empty (a refused
   * request does not push the client's recovery further out); 0 only asks whether a token is
   * there; -1 gives one back (capped at the bucket size).
   */
  take(specs: BucketSpec[], now: number, cost = 1): Taken {
    if (now >= this.nextSweep) this.sweep(now);
    const need = cost < 0 ? 0 : Math.max(cost, 1);
    const current = specs.map((s) => {
      const st = this.buckets.get(s.key);
      if (!st) return { tokens: s.capacity, ts: now };
      const elapsed = now - st.ts;
      if (elapsed <= 0) return { tokens: Math.min(s.capacity, st.tokens), ts: st.ts };
      return { tokens: snap(Math.min(s.capacity, st.tokens + (elapsed * s.limit) / s.windowMs)), ts: now };
    });
    const allowed = current.every((c) => c.tokens >= need);
    const tokens = current.map((c, i) => {
      const s = specs[i]!;
      const left = allowed ? Math.min(s.capacity, c.tokens - cost) : c.tokens;
      this.buckets.delete(s.key); // re-inserted last: the Map's order is least recently used first
      if (left < s.capacity) this.buckets.set(s.key, { tokens: left, ts: c.ts, fullAt: c.ts + ((s.capacity - left) * s.windowMs) / s.limit });
      return left;
    });
    if (this.buckets.size > this.maxBuckets) this.evict(now);
    return { allowed, tokens };
  }

  private sweep(now: number): void {
    for (const [k, st] of this.buckets) if (st.fullAt <= now) this.buckets.delete(k);
    this.nextSweep = now + 60_000;
  }

  /** Over the bound even after forgetting full buckets: drop the least recently used. */
  private evict(now: number): void {
    this.sweep(now);
    const excess = this.buckets.size - Math.floor(this.maxBuckets * 0.9);
    if (excess <= 0) return;
    let n = 0;
    for (const k of this.buckets.keys()) {
      if (n++ >= excess) break;
      this.buckets.delete(k);
    }
  }

  clear(): void { this.buckets.clear(); }
}

// KEYS: bucket keys. ARGV: now (ms), cost (1 spend, 0 ask, -1 give back), then capacity, limit
// and window (ms) of each key.
// The same arithmetic as MemoryBuckets; Redis runs the whole script atomically, so every node
// sees one bucket. The caller's clock is used (not TIME) so time is injectable; a node whose
// clock lags simply refills nothing until it catches up.
const TAKE = `
local now = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local need = 1
if cost < 0 then need = 0 elseif cost > 1 then need = cost end
local n = #KEYS
local tokens, stamps = {}, {}
local ok = 1
for i = 1, n do
  local cap, lim, win = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
  local s = redis.call('HMGET', KEYS[i], 't', 'ts')
  local t, ts = tonumber(s[1]), tonumber(s[2])
  if t == nil or ts == nil then t = cap; ts = now end
  if now > ts then
    t = t + (now - ts) * lim / win
    ts = now
  end
  if t > cap then t = cap end
  local r = math.floor(t + 0.5)
  if math.abs(t - r) < 1e-9 then t = r end
  tokens[i] = t
  stamps[i] = ts
  if t < need then ok = 0 end
end
local out = { ok }
for i = 1, n do
  local cap, lim, win = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
  local t = tokens[i]
  if ok == 1 then t = math.min(cap, t - cost) end
  if t >= cap then
    redis.call('DEL', KEYS[i])
  else
    redis.call('HSET', KEYS[i], 't', string.format('%.17g', t), 'ts', string.format('%d', stamps[i]))
    redis.call('PEXPIRE', KEYS[i], math.ceil((cap - t) * win / lim) + 1000)
  end
  out[i + 1] = string.format('%.17g', t)
end
return out
`;
const TAKE_SHA = crypto.createHash('sha1').update(TAKE).digest('hex');

/** Buckets shared by every node through one Redis. Keys expire once their bucket would be full. */
export class RedisBuckets {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly timeoutMs = 500) {}

  async take(specs: BucketSpec[], now: number, cost = 1): Promise<Taken> {
    const keys = specs.map((s) => this.prefix + s.key);
    const args: (string | number)[] = [now, cost];
    for (const s of specs) args.push(s.capacity, s.limit, s.windowMs);
    const reply = (await this.withTimeout(this.run(keys, args))) as [number, ...string[]];
    return { allowed: reply[0] === 1, tokens: reply.slice(1).map(Number) };
  }

  private async run(keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(TAKE_SHA, keys.length, ...keys, ...args);
    } catch (err) {
      // First use on this Redis (or after SCRIPT FLUSH / a restart): send the script itself.
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return this.redis.eval(TAKE, keys.length, ...keys, ...args);
    }
  }

  /** A Redis that accepts the connection but does not answer must not hold requests. */
  private withTimeout<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }
}
