// Token buckets by tier and by IP (CONTRACT §9). Decides which buckets a request spends from,
// and where they live: Redis when there is one (shared by every node), memory otherwise.
import type { Deps } from '../app.js';
import { hmacHex } from '../kernel/crypto.js';
import type { Principal } from '../kernel/principal.js';
import { classify, tierColumn, type PublicGroup, type RateLimitTable, type RouteLimits, type TierClass } from './table.js';
import { MemoryBuckets, RedisBuckets, type BucketSpec } from './store.js';

export interface Spent {
  /** Name in the RateLimit-Policy / RateLimit fields. */
  policy: string;
  capacity: number;
  limit: number;
  windowMs: number;
  tokens: number;
}

export interface Verdict {
  allowed: boolean;
  now: number;
  buckets: Spent[];
  /** Where the tokens were spent, so a refund goes to the same place. */
  store: 'redis' | 'memory';
  keys: BucketSpec[];
}

export interface Caller {
  route: RouteLimits;
  principal?: Principal;
  /** The client address as a bucket key (see ip.ts). */
  address: string;
  method: string;
}

interface Bucket extends BucketSpec { policy: string }

/** After a Redis failure, requests use the fallback for this long before Redis is tried again. */
const BREAKER_MS = 1000;

export class RateLimiter {
  readonly table: RateLimitTable | null;
  private readonly memory = new MemoryBuckets();
  private redisBuckets: RedisBuckets | null | undefined;
  private readonly routes = new Map<string | undefined, RouteLimits>();
  private breakerUntil = 0;
  /** Addresses this node has seen refused credentials from lately: only those pay a pre-auth check. */
  private readonly suspects = new Map<string, number>();

  constructor(private readonly d: Deps) {
    this.table = d.config.rateLimits;
  }

  /** 'ok' | 'degraded' (Redis unreachable) | 'off' */
  status(): 'ok' | 'degraded' | 'off' {
    if (!this.table) return 'off';
    return this.d.redis && !this.redisUsable() ? 'degraded' : 'ok';
  }

  /** The limits of a registered route pattern (undefined: no route matched). */
  route(url: string | undefined): RouteLimits {
    let r = this.routes.get(url);
    if (!r) {
      r = classify(this.table!, url);
      this.routes.set(url, r);
    }
    return r;
  }

  /** Spends one token from every bucket that applies to this request. null: not limited. */
  async check(c: Caller): Promise<Verdict | null> {
    if (!this.table) return null;
    const { route, principal, address } = c;
    const buckets: Bucket[] = [];
    if (principal) {
      buckets.push(tierBucket(route.className, route.tierClass, tierColumn(principal.tier), `p:${principal.id}`));
      if (route.group) buckets.push(groupBucket(route.groupName!, route.group, address));
    } else if (route.group) {
      buckets.push(groupBucket(route.groupName!, route.group, address));
    } else {
      buckets.push(tierBucket(route.className, route.tierClass, 0, `ip:${address}`));
    }
    // What may go unlimited while Redis is down: anonymous reads of public data.
    const publicRead = !principal && !!route.group && (c.method === 'GET' || c.method === 'HEAD');
    return this.take(buckets, 1, publicRead);
  }

  /**
   * Before a credential is checked: refuse the request when its address has used up its
   * allowance of refused credentials. Only addresses with a recent refusal pay for the lookup.
   */
  async credentialGuard(address: string): Promise<Verdict | null> {
    if (!this.table) return null;
    const until = this.suspects.get(address);
    if (until === undefined) return null;
    const now = this.d.clock.now();
    if (until <= now) {
      this.suspects.delete(address);
      return null;
    }
    const v = await this.take([this.failedBucket(address)], 0, false);
    return v && !v.allowed ? v : null;
  }

  /** A credential presented from this address was refused. */
  async credentialRefused(address: string): Promise<void> {
    if (!this.table) return;
    const bucket = this.failedBucket(address);
    const now = this.d.clock.now();
    this.suspects.delete(address);
    this.suspects.set(address, now + bucket.windowMs * bucket.capacity / bucket.limit);
    if (this.suspects.size > 10_000) this.suspects.delete(this.suspects.keys().next().value!);
    await this.take([bucket], 1, false);
  }

  /**
   * Gives back what `check` spent, for a request the framework then rejected as bad input
   * (unparseable, too large, failing its schema): bad input changes nothing, rate limits included.
   */
  async refund(v: Verdict): Promise<void> {
    if (!v.allowed) return;
    const now = this.d.clock.now();
    if (v.store === 'memory') { this.memory.take(v.keys, now, -1); return; }
    try {
      await this.redisStore()!.take(v.keys, now, -1);
    } catch { /* a token not given back is the safe side of a failure */ }
  }

  async close(): Promise<void> {
    this.memory.clear();
    this.suspects.clear();
  }

  private failedBucket(address: string): Bucket {
    const f = this.table!.failedCredentials;
    return { policy: 'failed-credentials', key: `failed:ip:${address}`, capacity: f.burst, limit: f.limit, windowMs: f.windowSeconds * 1000 };
  }

  /**
   * Redis when configured and answering. When it is not, anonymous reads of public data fail
   * open (a status page or the public counters must not go dark because a cache did) and every
   * other bucket — the auth class and refused credentials above all — is kept in this node's
   * memory: per node rather than cluster-wide, but never unlimited.
   */
  private async take(buckets: Bucket[], cost: number, failOpen: boolean): Promise<Verdict | null> {
    const now = this.d.clock.now();
    const redis = this.redisStore();
    if (redis) {
      if (this.redisUsable()) {
        try {
          const r = await redis.take(buckets, now, cost);
          return verdict(buckets, r.allowed, r.tokens, now, 'redis');
        } catch (err) {
          this.breakerUntil = performance.now() + BREAKER_MS;
          this.d.log.warn({ err: (err as Error).message }, 'rate limits: redis failed; using the in-memory fallback');
        }
      }
      if (failOpen) return null;
    }
    const r = this.memory.take(buckets, now, cost);
    return verdict(buckets, r.allowed, r.tokens, now, 'memory');
  }

  private redisStore(): RedisBuckets | null {
    if (this.redisBuckets === undefined) {
      const redis = this.d.redis;
      // Keys are namespaced per deployment: every node of one cluster shares the OTP pepper (it
      // lives in the database), so they share buckets, while another deployment (or a parallel
      // test) on the same Redis never collides. The HMAC reveals nothing about the pepper.
      this.redisBuckets = redis ? new RedisBuckets(redis, `spaceduck:rl:${hmacHex(this.d.secrets.otpPepper, 'ratelimit-namespace').slice(0, 16)}:`) : null;
    }
    return this.redisBuckets;
  }

  private redisUsable(): boolean {
    // The breaker measures the network, so it runs on real time, not the injectable clock.
    return this.d.redis?.status === 'ready' && performance.now() >= this.breakerUntil;
  }
}

function tierBucket(name: string, c: TierClass, column: 0 | 1 | 2, partition: string): Bucket {
  const n = c.perTier[column];
  return { policy: name, key: `class:${name}:${partition}`, capacity: n, limit: n, windowMs: c.windowSeconds * 1000 };
}

function groupBucket(name: string, g: PublicGroup, address: string): Bucket {
  const policy = `public-${name}`;
  return { policy, key: `group:${name}:ip:${address}`, capacity: g.burst, limit: g.limit, windowMs: g.windowSeconds * 1000 };
}

function verdict(buckets: Bucket[], allowed: boolean, tokens: number[], now: number, store: Verdict['store']): Verdict {
  return {
    allowed, now, store, keys: buckets,
    buckets: buckets.map((b, i) => ({ policy: b.policy, capacity: b.capacity, limit: b.limit, windowMs: b.windowMs, tokens: tokens[i]! })),
  };
}
