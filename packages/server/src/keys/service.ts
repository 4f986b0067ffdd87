// Beak Keys: issue, authenticate (the hot path), and the Key Manager's rules.
import type { Clock } from '../kernel/clock.js';
import type { Principal, Tier } from '../kernel/principal.js';
import { newId } from '../kernel/ids.js';
import type { Tx } from '../events/bus.js';
import { BEAK_KEY, generateBeakKey, hashBeakKey, previewOf } from './beak.js';
import type { KeyStore } from './store.js';
import type { BeakKeyRow } from './schema.js';

const DAY = 86_400_000;
export const DEFAULT_KEY_DAYS = 90;
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface IssueKey {
  ownerType: 'duckling' | 'agent'; ownerId: string; ducklingId: string;
  name?: string | null; primary?: boolean; expiresInDays?: number;
}

export class KeyService {
  private lastUsed = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(readonly store: KeyStore, private readonly clock: Clock) {}

  async issue(tx: Tx, k: IssueKey): Promise<{ row: BeakKeyRow; beakKey: string }> {
    const now = this.clock.now();
    const beakKey = generateBeakKey();
    const row: BeakKeyRow = {
      id: newId('key', now), key_hash: hashBeakKey(beakKey), owner_type: k.ownerType, owner_id: k.ownerId,
      duckling_id: k.ducklingId, name: k.name ?? null, preview: previewOf(beakKey), is_primary: k.primary ? 1 : 0,
      status: 'active', created_at: now, expires_at: now + (k.expiresInDays ?? DEFAULT_KEY_DAYS) * DAY,
      last_used_at: null, revoked_at: null, replaced_by: null, grace_until: null,
    };
    await this.store.insert(tx, row);
    return { row, beakKey };
  }

  /** Resolves a presented key to its principal, or null for anything not currently valid. */
  async authenticate(presented: string): Promise<Principal | null> {
    if (!BEAK_KEY.test(presented)) return null;
    const k = await this.store.findByHash(hashBeakKey(presented));
    if (!k) return null;
    const now = this.clock.now();
    // A rotated key keeps working only inside the grace period its rotation asked for.
    const live = k.status === 'active' || (k.status === 'rotated' && k.grace_until != null && k.grace_until > now);
    if (!live || k.expires_at <= now || k.duckling_status !== 'active') return null;
    if (k.owner_type === 'agent' && (k.agent_status == null || k.agent_status === 'deregistered')) return null;
    // Minute precision is all "last used" needs; finer would rewrite every key row every flush.
    if (k.last_used_at == null || now - k.last_used_at >= LAST_USED_RESOLUTION_MS) {
      this.lastUsed.set(k.id, now);
      k.last_used_at = now; // a remembered row (db/watched-cache.ts) stays current on this node
    }
    return { kind: k.owner_type, id: k.owner_id, ducklingId: k.duckling_id, tier: k.trust_tier as Tier, via: 'beak_key', keyId: k.id };
  }

  /** A use of the key seen on this node but not yet flushed to the database. */
  pendingLastUsed(id: string): number | undefined { return this.lastUsed.get(id); }

  /** Display status for the Key Manager. */
  statusOf(row: BeakKeyRow): 'active' | 'expired' | 'revoked' | 'rotated' {
    if (row.status === 'active' && row.expires_at <= this.clock.now()) return 'expired';
    return row.status as 'active' | 'revoked' | 'rotated';
  }

  startFlushing(everyMs = 5000): void {
    this.flushTimer = setInterval(() => void this.flush(), everyMs);
    this.flushTimer.unref();
  }

  async flush(): Promise<void> {
    if (!this.lastUsed.size) return;
    const batch = this.lastUsed;
    this.lastUsed = new Map();
    await this.store.touch(batch).catch(() => { /* best effort: a missed last_used_at is not worth a failure */ });
  }

  async stop(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    await this.flush();
  }
}
