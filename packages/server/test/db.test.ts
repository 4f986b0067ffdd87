// The storage layer's SQLite shortcuts past Kysely's executor (`Db.readNow`, `Db.writeNow`) must
// never run inside another request's open transaction: a read would see its uncommitted writes,
// and a write would join (and commit or roll back with) a transaction that is not its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../src/db/index.js';
import { migrate } from '../src/db/migrate.js';

let db: Db;
beforeAll(async () => {
  db = await openDb({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'spaceduck-db-')) });
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
