// Beak Key lookups remembered in memory, on SQLite only. Every agent request resolves its key;
// the indexed join behind it cost more than everything else a pulse does (≈ 50 µs of ≈ 120 µs
// per pulse, measured: docs/benchmarks.md). The rule that makes remembering safe is that the
// answer can change only through a write to the database, and on SQLite every write is either
// this process's — each statement that may touch a watched column clears the cache as it runs
// (db/write-watch.ts) — or another process's (the admin CLI), which SQLite's data_version tells
// on the next lookup. So a rotated, revoked or suspended credential is refused at once, as before.
//
// Not on PostgreSQL: there other nodes write too, and nothing tells this node in time.
// Decisions are not cached, only the row: expiry and grace periods are judged on each request.
// Unknown keys are never remembered, so guessing cannot fill memory.
import type { Db } from '../db/index.js';
import type { Watched } from '../db/write-watch.js';

/** Bounded memory: about 400 bytes an entry. Refills as keys are used again. */
export const MAX_CACHED_KEYS = 100_000;

export class CredentialCache<R> {
  private rows = new Map<string, R>();
  /** Bumped on every change: a lookup that read before it must not be kept after it. */
  private generation = 0;
  private foreign: number;

  private constructor(private readonly foreignVersion: () => number, private readonly max: number) {
    this.foreign = foreignVersion();
  }

  /** A cache for `db`, or null where one would not be safe (see above). */
  static over<R>(db: Db, watched: Watched, max = MAX_CACHED_KEYS): CredentialCache<R> | null {
    if (!db.watch || !db.foreignVersion) return null;
    const cache = new CredentialCache<R>(db.foreignVersion, max);
    db.watch(watched, () => cache.clear());
    return cache;
  }

  async get(hash: string, load: () => Promise<R | undefined>): Promise<R | undefined> {
    const version = this.foreignVersion();
    if (version !== this.foreign) { this.foreign = version; this.clear(); }
    const known = this.rows.get(hash);
    if (known) return known;
    const generation = this.generation;
    const row = await load();
    if (row && generation === this.generation) {
      if (this.rows.size >= this.max) this.rows.delete(this.rows.keys().next().value!); // oldest first
      this.rows.set(hash, row);
    }
    return row;
  }

  clear(): void {
    this.generation++;
    this.rows.clear();
  }

  get size(): number { return this.rows.size; }
}
