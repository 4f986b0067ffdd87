// The storage layer's SQLite shortcuts past Kysely's executor (`Db.readNow`, `Db.writeNow`) must
// never run inside another request's open transaction: a read would see its uncommitted writes,
// and a write would join (and commit or roll back with) a transaction that is not its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../src/db/index.js';
import { migrate } from '../src/db/migrate.js';
import { WatchedCache } from '../src/db/watched-cache.js';

let db: Db;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spaceduck-db-'));
beforeAll(async () => {
  db = await openDb({ dataDir });
  await migrate(db);
});
afterAll(async () => { await db.close(); });

const SELECT = 'select value from secrets where name = ?';

describe('SQLite readNow', () => {
  it('reads at once outside transactions, and declines while one is open', async () => {
    expect(db.readNow!(SELECT, ['db-test'])).toEqual([]);
    let outside: Promise<void> | undefined;
    let seen: unknown;
    await db.kysely.transaction().execute(async (tx) => {
      await tx.insertInto('secrets').values({ name: 'db-test', value: 'uncommitted', created_at: Date.now() }).execute();
      expect(db.readNow!(SELECT, ['db-test'])).toBeUndefined();
      // The same lookup through Kysely waits for the transaction instead of reading into it.
      outside = db.kysely.selectFrom('secrets').select('value').where('name', '=', 'db-test').execute().then((r) => { seen = r; });
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toBeUndefined();
      await tx.deleteFrom('secrets').where('name', '=', 'db-test').execute();
    });
    await outside;
    expect(seen).toEqual([]); // it ran after the commit, and never saw the uncommitted row
    expect(db.readNow!(SELECT, ['db-test'])).toEqual([]);
  });

  it('writes at once outside transactions, and declines while one is open', async () => {
    const insert = "insert into secrets (name, value, created_at) values (?, 'now', 0)";
    expect(db.writeNow!((run) => { expect(run(insert, ['db-write-1'])).toBe(1); })).toBe(true);
    expect(db.readNow!(SELECT, ['db-write-1'])).toEqual([{ value: 'now' }]);
    let ran = false;
    await db.kysely.transaction().execute(async () => {
      expect(db.writeNow!(() => { ran = true; })).toBe(false);
    });
    expect(ran).toBe(false);
  });
});

// What the Beak Key cache relies on (src/db/watched-cache.ts): every statement of this
// process that may change a watched column is heard as it runs, whoever wrote it; another
// process's commits show in foreignVersion.
describe('SQLite watch and foreignVersion', () => {
  const insertDuckling = (id: string) => sql`insert into ducklings (id, email, display_name, display_name_key, trust_tier, created_at, updated_at)
    values (${id}, ${`${id}@example.com`}, ${id}, ${id}, 'T1', 0, 0)`.execute(db.kysely);

  it('hears writes to watched columns from Kysely and raw SQL, and nothing else', async () => {
    let heard = 0;
    db.watch!({ ducklings: ['status', 'trust_tier'] }, () => { heard++; });
    await insertDuckling('dk_watch1');
    expect(heard).toBe(0); // a new row cannot change one already read
    await db.kysely.updateTable('ducklings').set({ display_name: 'Renamed' }).where('id', '=', 'dk_watch1').execute();
    await db.kysely.selectFrom('ducklings').selectAll().where('id', '=', 'dk_watch1').execute();
    expect(heard).toBe(0);
    await db.kysely.updateTable('ducklings').set({ trust_tier: 'T2' }).where('id', '=', 'dk_watch1').execute();
    expect(heard).toBe(1);
    await sql`update ducklings set status = 'suspended' where id = ${'dk_watch1'}`.execute(db.kysely);
    expect(heard).toBe(2);
    await db.kysely.transaction().execute(async (tx) => {
      await tx.updateTable('ducklings').set({ status: 'active' }).where('id', '=', 'dk_watch1').execute();
      expect(heard).toBe(3); // as the statement runs, before the commit
    });
    await db.kysely.deleteFrom('ducklings').where('id', '=', 'dk_watch1').execute();
    expect(heard).toBe(4);
  });

  it('hears a second connection of this process to the same file as exactly', async () => {
    let heard = 0;
    db.watch!({ ducklings: ['status'] }, () => { heard++; });
    const second = await openDb({ dataDir });
    try {
      await second.kysely.updateTable('ducklings').set({ status: 'suspended' }).where('id', '=', 'dk_none').execute();
      expect(heard).toBe(1);
    } finally {
      await second.close();
    }
  });

  it("tells another connection's commits", async () => {
    const before = db.foreignVersion!();
    expect(db.foreignVersion!()).toBe(before); // its own reads and writes do not count
    await insertDuckling('dk_watch2');
    expect(db.foreignVersion!()).toBe(before);
    const other = await openDb({ dataDir });
    try {
      await other.kysely.updateTable('ducklings').set({ display_name: 'From elsewhere' }).where('id', '=', 'dk_watch2').execute();
    } finally {
      await other.close();
    }
    expect(db.foreignVersion!()).not.toBe(before);
  });
});

describe('WatchedCache', () => {
  it('remembers answers until a watched write, and admits nothing more once full', async () => {
    const cache = WatchedCache.over<string>(db, { ducklings: ['status'] }, { max: 2 })!;
    const loads: string[] = [];
    const get = (k: string) => cache.get(k, async () => { loads.push(k); return `v:${k}`; });
    for (const k of ['a', 'b', 'c', 'a', 'b', 'c']) expect(await get(k)).toBe(`v:${k}`);
    // Full after a and b: c is read every time rather than pushing out what agents in turn reuse.
    expect(loads).toEqual(['a', 'b', 'c', 'c']);
    expect(await cache.get('unknown', async () => undefined)).toBeUndefined();
    await db.kysely.updateTable('ducklings').set({ status: 'active' }).where('id', '=', 'dk_none').execute();
    await get('c');
    await get('c');
    expect(loads).toEqual(['a', 'b', 'c', 'c', 'c']);
  });
});
