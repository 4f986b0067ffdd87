// Which statements count as a change to watched columns (src/db/write-watch.ts). A miss here
// would let the Beak Key cache keep a revoked key; an extra hit only costs a refill.
import { describe, expect, it } from 'vitest';
import { mayChange } from '../src/db/write-watch.js';

const W = { beak_keys: ['id', 'status', 'expires_at'], agents: ['id', 'status'] };

describe('mayChange', () => {
  it.each([
    'update "beak_keys" set "status" = ?, "revoked_at" = ? where "id" = ?',
    'update "agents" set "last_meta" = ?, "status" = ? where "id" = ?',
    "UPDATE agents SET status = 'deregistered' WHERE id = ?",
    'update "beak_keys" as "k" set "expires_at" = ? where "k"."id" = ?',
    'update "agents" set "status" = case when "id" = ? then ? end where "id" = ?',
    'update "agents" set ("status", "name") = (?, ?) where "id" = ?', // not a plain col = …: counted
    'delete from "beak_keys" where "id" = ?',
    'insert into "agents" ("id", "status") values (?, ?) on conflict ("id") do update set "status" = excluded."status"',
    'insert or replace into "beak_keys" ("id") values (?)',
    'replace into agents (id) values (?)',
    'drop table "agents"',
    'alter table "beak_keys" add column "x" text',
  ])('counts %s', (q) => { expect(mayChange(q, W)).toBe(true); });

  it.each([
    'select * from "beak_keys" where "status" = ?',
    'begin', 'commit', 'pragma data_version',
    'insert into "beak_keys" ("id", "status") values (?, ?)',
    'update "beak_keys" set "last_used_at" = ? where "id" = ? and "status" = ?',
    "update agents set last_seen = ?, last_meta = ? where id = ? and status != 'deregistered'",
    'update "agents" set "last_meta" = (select "status" from "beak_keys" where "id" = ?), "liveness" = ? where "id" = ?',
    'with v(id, at) as (values (?, ?)) update beak_keys set last_used_at = v.at from v where beak_keys.id = v.id',
    'update "webhooks" set "secret" = ? where "duckling_id" in (select "id" from "agents" where "status" = ?)',
    'delete from "sessions" where "id" = ?',
    'update "agents_archive" set "status" = ?',
  ])('ignores %s', (q) => { expect(mayChange(q, W)).toBe(false); });

  it('counts a new row where asked to (a count changes with it)', () => {
    const q = 'insert into "agents" ("id", "status") values (?, ?)';
    expect([mayChange(q, W), mayChange(q, W, true)]).toEqual([false, true]);
    expect(mayChange('insert into "sessions" ("id") values (?)', W, true)).toBe(false);
  });
});
