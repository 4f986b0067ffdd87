// Answers computed from database rows, remembered in memory until a write may change them —
// on SQLite only. It serves the two lookups of every agent request: the Beak Key (its indexed
// join cost about as much as the rest of a pulse: docs/benchmarks.md) and the bond count.
//
// What makes remembering safe: an answer can change only through a write to the database, and
// on SQLite every write is either this process's — each statement that may touch a watched column
// clears the cache as it runs, on any connection of the process (statements.ts) — or another
// process's. So a key rotated, revoked or suspended through the API (or by the admin command run
// in-process) is refused by the very next request, exactly as without a cache.
//
// Another process writing the same file (`spaceduck admin` from a shell) shows in SQLite's
// data_version, which is read at most every FOREIGN_CHECK_MS: reading it starts a read
// transaction (two file-lock system calls), ≈ 6 µs, which on every request was a tenth of a pulse.
//
// Not on PostgreSQL: other nodes write there, and nothing would tell this one in time.
// `undefined` (e.g. an unknown key) is never remembered, so guessing cannot fill memory.
import type { Db } from './index.js';
import type { Watched } from './write-watch.js';

export const FOREIGN_CHECK_MS = 50;

export class WatchedCache<V> {
  private values = new Map<string, V>();
  /** Bumped on every change: a lookup that read before it must not be kept after it. */
  private generation = 0;
  private foreign: number;
  private checkedAt = performance.now();

  private constructor(private readonly foreignVersion: () => number, private readonly max: number) {
    this.foreign = foreignVersion();
  }

  /**
   * A cache of at most `max` answers read from the `watched` columns of `db` (with `inserts`,
   * a new row counts as a change too: for counts), or null where one would not be safe.
   */
  static over<V>(db: Db, watched: Watched, opts: { max: number; inserts?: boolean }): WatchedCache<V> | null {
    if (!db.watch || !db.foreignVersion) return null;
    const cache = new WatchedCache<V>(db.foreignVersion, opts.max);
    db.watch(watched, () => cache.clear(), { inserts: opts.inserts ?? false });
    return cache;
  }

  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const t = performance.now();
    if (t - this.checkedAt >= FOREIGN_CHECK_MS) {
      this.checkedAt = t;
      const version = this.foreignVersion();
      if (version !== this.foreign) { this.foreign = version; this.clear(); }
    }
    const known = this.values.get(key);
    if (known !== undefined) return known;
    const generation = this.generation;
    const value = await load();
    // Full: nothing more is admitted until the next clear. Evicting (oldest first, or least
    // recently used) would make agents pulsing in turn, more of them than `max`, miss every time.
    if (value !== undefined && generation === this.generation && this.values.size < this.max) this.values.set(key, value);
    return value;
  }

  clear(): void {
    this.generation++;
    this.values.clear();
  }
}
