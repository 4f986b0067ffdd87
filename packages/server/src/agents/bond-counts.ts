// The live bond count a pulse answers with (`active_bonds`). Counting is an indexed query, but
// on the platform's hottest route it cost about as much as authenticating the Beak Key, while
// the count changes only when a peck is approved or a bond removed. So counts are remembered:
// on SQLite until a statement may change the bonds table (db/watched-cache.ts: exact); on
// PostgreSQL for up to TTL_MS per node, forgotten whenever this node records a bond event, so a
// change made on another node shows within TTL_MS. The count is informational (no access
// decision reads it).
import type { Clock } from '../kernel/clock.js';
import type { Db } from '../db/index.js';
import { WatchedCache } from '../db/watched-cache.js';
import type { Events, RecordedEvent } from '../events/bus.js';

/** Every column the count reads: a write to one, or a new bond, changes a count. */
const BOND_COLUMNS = { connections: ['requester_duckling_id', 'requester_id', 'target_duckling_id', 'target_id', 'removed_at'] };

export const BOND_COUNT_TTL_MS = 5000;
const MAX_ENTRIES = 50_000;

export class BondCounts {
  private counts = new Map<string, { n: number; at: number }>();
  /** Bumped on every bond event: a count read before it must not be kept after it. */
  private generation = 0;

  private readonly watched: WatchedCache<number> | null;

  constructor(private readonly clock: Clock, events: Events, db: Db, private readonly count: (id: string, ducklingId: string) => Promise<number>) {
    this.watched = WatchedCache.over<number>(db, BOND_COLUMNS, { max: MAX_ENTRIES, inserts: true });
    if (this.watched) return;
    const forget = (e: RecordedEvent) => {
      if (!e.type.startsWith('bond.')) return;
      this.generation++;
      this.counts.clear();
    };
    // As the change is written (so the request that made it, and any after it, see it)…
    events.subscribe(async (_tx, e) => forget(e));
    // …and once more just after, for a pulse that read the old count while it was committing.
    events.onRecorded(forget);
  }

  async of(id: string, ducklingId: string): Promise<number> {
    if (this.watched) return (await this.watched.get(id, () => this.count(id, ducklingId)))!;
    const now = this.clock.now();
    const known = this.counts.get(id);
    if (known && now >= known.at && now - known.at < BOND_COUNT_TTL_MS) return known.n;
    const generation = this.generation;
    const n = await this.count(id, ducklingId);
    if (generation === this.generation) {
      if (this.counts.size >= MAX_ENTRIES) this.counts.clear(); // bounded memory; refills as agents pulse
      this.counts.set(id, { n, at: now });
    }
    return n;
  }
}
