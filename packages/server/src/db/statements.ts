// Prepared statements of one SQLite connection, and the watchers that hear its writes.
//
// Kysely prepares every query afresh; compiling the SQL costs more than running it for the
// small indexed statements of the hot paths (a Beak Key lookup, a pulse). Statements are
// reusable once prepared, and a statement is never run twice at once: Kysely's single-connection
// mutex orders its queries, and `readNow`/`writeNow` run theirs to completion synchronously.
// Bounded in count, because `in (…)` lists make SQL texts of many lengths, and long texts
// (multi-row batches) are not kept at all: they are rarely repeated and costly to hold.
//
// Every statement of the connection passes `prepare` just before it runs (prepare and run are
// one synchronous step, in Kysely's driver as in ours), so this is also where watchers hear of
// writes: what a text may change is worked out once per text (write-watch.ts). Watchers belong
// to the file, not the connection: a second connection of this process to the same file (the
// admin command run in-process, a test) is heard as exactly as the first.
import type SQLite from 'better-sqlite3';
import { mayChange, type Watched } from './write-watch.js';

export interface Watcher { watched: Watched; onChange: () => void; inserts: boolean }

interface Entry { stmt: SQLite.Statement; notify: (() => void)[] }
interface FileWatchers { watchers: Watcher[]; connections: Set<Statements> }

const byFile = new Map<string, FileWatchers>();
const MAX = 500;
const MAX_LENGTH = 2048;

export class Statements {
  /** The connection as Kysely sees it: `prepare` goes through the cache. */
  readonly database: SQLite.Database;
  private readonly cache = new Map<string, Entry>();
  private readonly shared: FileWatchers;
  private readonly own: Watcher[] = [];

  constructor(private readonly raw: SQLite.Database, file: string) {
    let shared = byFile.get(file);
    if (!shared) byFile.set(file, (shared = { watchers: [], connections: new Set() }));
    shared.connections.add(this);
    this.shared = shared;
    this.database = Object.assign(Object.create(raw) as SQLite.Database, {
      prepare: (source: string) => this.prepare(source),
      close: () => raw.close(),
    });
  }

  prepare(source: string): SQLite.Statement {
    let entry = source.length > MAX_LENGTH ? undefined : this.cache.get(source);
    if (!entry) {
      entry = { stmt: this.raw.prepare(source), notify: this.notifyOf(source) };
      if (source.length <= MAX_LENGTH) {
        if (this.cache.size >= MAX) this.cache.delete(this.cache.keys().next().value!);
        this.cache.set(source, entry);
      }
    }
    for (let i = 0; i < entry.notify.length; i++) entry.notify[i]!();
    return entry.stmt;
  }

  watch(w: Watcher): void {
    this.own.push(w);
    this.shared.watchers.push(w);
    this.reclassifyAll();
  }

  /** Forgets this connection and the watchers it added. */
  close(): void {
    this.shared.watchers = this.shared.watchers.filter((w) => !this.own.includes(w));
    this.shared.connections.delete(this);
    this.reclassifyAll();
    if (!this.shared.connections.size) for (const [file, s] of byFile) if (s === this.shared) byFile.delete(file);
  }

  private notifyOf(source: string): (() => void)[] {
    return this.shared.watchers.filter((w) => mayChange(source, w.watched, w.inserts)).map((w) => w.onChange);
  }

  private reclassifyAll(): void {
    for (const c of this.shared.connections) for (const [source, entry] of c.cache) entry.notify = c.notifyOf(source);
  }
}
