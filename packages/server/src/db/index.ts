// Storage: one Kysely instance over embedded SQLite (default) or PostgreSQL (DATABASE_URL).
// Dialect rules that keep one set of queries portable:
//   timestamps = epoch milliseconds in BIGINT (pg's int8 parsed to number below),
//   booleans   = INTEGER 0/1, JSON = TEXT (parsed by the stores), ids = TEXT.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Database } from './types.js';
import { Statements } from './statements.js';
import type { Watched } from './write-watch.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Round-trip to the database; throws when it is unreachable. Returns latency in ms. */
  ping(): Promise<number>;
  /**
   * SQLite only: runs a compiled read at once, synchronously, if no transaction is open on the
   * connection. better-sqlite3 runs on this thread, so such a read is as isolated as any
   * autocommit one, and it skips Kysely's executor (its connection mutex and promise hops),
   * which costs more than the indexed lookups of the hot paths. `undefined`: use Kysely.
   */
  readNow?(sql: string, parameters: readonly unknown[]): unknown[] | undefined;
  /**
   * SQLite only: runs `work` as one synchronous transaction if no other is open (none can start
   * while it runs: nothing else runs on this thread). `work` gets a runner of prepared statements
   * that returns the rows changed. `false`: it did not run; use Kysely.
   */
  writeNow?(work: (run: (sql: string, parameters: readonly unknown[]) => number) => void): boolean;
  /**
   * SQLite only: calls `onChange` as any statement that may change one of the `watched` columns
   * (or, with `inserts`, add a row to one of their tables) runs on a connection of this process
   * to the same file (see statements.ts).
   */
  watch?(watched: Watched, onChange: () => void, opts?: { inserts: boolean }): void;
  /** SQLite only: a number that changes when another process (the admin CLI) has committed a write. */
  foreignVersion?(): number;
  /**
   * PostgreSQL only: runs a hot read outside any transaction as a named prepared statement, so
   * each pooled connection parses and plans it once (the Beak Key join: 2.5× the lookups per
   * second of an unnamed query on this machine). `name` must be unique to `sql` in this process.
   */
  queryNamed?(name: string, sql: string, parameters: readonly unknown[]): Promise<unknown[]>;
  close(): Promise<void>;
}

export class StartupError extends Error {}

pg.types.setTypeParser(20, (v) => Number(v)); // int8 → number (timestamps stay far below 2^53)

export interface DbOptions {
  databaseUrl?: string;
  dataDir: string;
  /** PostgreSQL schema to use (tests isolate themselves in one schema each). */
  schema?: string;
  poolSize?: number;
}

export async function openDb(opts: DbOptions): Promise<Db> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.schema, opts.poolSize ?? 10);
  return openSqlite(opts.dataDir);
}

function openSqlite(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'spaceduck.db');
  let raw: SQLite.Database;
  try {
    raw = new SQLite(file);
  } catch (err) {
    throw new StartupError(`cannot open SQLite database at ${file}: ${(err as Error).message}`);
  }
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('synchronous = NORMAL');
  // Every agent request looks up a random Beak Key: with 100,000 agents the key index and rows
  // outgrow SQLite's default 2 MiB page cache. Reading through a memory map (and a larger cache,
  // filled only as pages are used) made pulses at that size ~8 % cheaper.
  raw.pragma('cache_size = -65536');
  raw.pragma('mmap_size = 268435456');
  const statements = new Statements(raw, path.resolve(file));
  const dataVersion = raw.prepare('pragma data_version').pluck();
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements.database }) });
  return {
    kysely,
    dialect: 'sqlite',
    // Inside a transaction (which spans awaits) a read would see its uncommitted writes: wait.
    readNow: (text, parameters) => (raw.inTransaction ? undefined : statements.prepare(text).all(parameters as unknown[])),
    writeNow(work) {
      if (raw.inTransaction) return false;
      raw.transaction(() => work((text, parameters) => statements.prepare(text).run(parameters as unknown[]).changes))();
      return true;
    },
    watch: (watched, onChange, opts) => statements.watch({ watched, onChange, inserts: opts?.inserts ?? false }),
    foreignVersion: () => dataVersion.get() as number,
    async ping() {
      const t = performance.now();
      raw.prepare('select 1').get();
      return performance.now() - t;
    },
    async close() {
      statements.close();
      await kysely.destroy();
    },
  };
}

async function openPostgres(url: string, schema: string | undefined, max: number): Promise<Db> {
  const host = safeHost(url);
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    options: schema ? `-c search_path=${schema}` : undefined,
  });
  pool.on('error', () => { /* an idle client died; the pool replaces it */ });
  try {
    const c = await pool.connect();
    if (schema) await c.query(`create schema if not exists "${schema.replace(/"/g, '')}"`);
    c.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new StartupError(`cannot connect to PostgreSQL at ${host}: ${(err as Error).message}`);
  }
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kysely,
    dialect: 'postgres',
    queryNamed: async (name, text, parameters) => (await pool.query({ name, text, values: parameters as unknown[] })).rows,
    async ping() {
      const t = performance.now();
      await sql`select 1`.execute(kysely);
      return performance.now() - t;
    },
    close: () => kysely.destroy(),
  };
}

function safeHost(url: string): string {
  try { const u = new URL(url); return `${u.hostname}:${u.port || 5432}`; } catch { return '(unparseable DATABASE_URL)'; }
}
