// Authenticated pulse throughput (POST /beak/pulse with a Beak Key as Bearer), every request
// with the next of N distinct agent keys, against a bare Fastify server answering the same POST
// in the same run. The baseline is sent the same rotating requests (it ignores the key), so the
// load generator — on the other core, and as busy as the server — does the same work on both
// sides of the ratio (as in bench/certs.mjs); the 10,000-agent figure and the baseline are
// measured in interleaved rounds and each keeps its median (as in bench/platform.mjs). A
// baseline sent one fixed request is printed too, for reference. Agents are seeded straight
// into the server's database (rows exactly as the API writes them: SHA-256 of each key), so
// 100,000 agents take seconds, not minutes.
//   node bench/pulse.mjs [--duration 8] [--rounds 3] [--connections 50] [--agents 10000]
//                        [--small 1000] [--big 100000] [--no-sqlite] [--no-pg]
//                        [--pg-url postgres://…/postgres] [--redis-url redis://… | --redis-url '']
// Needs `npm run build` first (about 70 s with the defaults; `--duration 3 --big 20000` for a
// quick look). PostgreSQL runs use a throwaway database created and dropped here.
import crypto from 'node:crypto';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { monotonicFactory } from 'ulid';
import { hatch, load, mb, report, startBaseline, startServer } from './lib.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const arg = (name, def) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : def; };
const duration = Number(arg('duration', 8));
const rounds = Number(arg('rounds', 3));
const connections = Number(arg('connections', 50));
const AGENTS = Number(arg('agents', 10_000));
const SMALL = Number(arg('small', 1_000));
const BIG = Number(arg('big', 100_000));
const PG_URL = arg('pg-url', process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const REDIS_URL = arg('redis-url', process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379');
const withPg = !flag('no-pg');
const withSqlite = !flag('no-sqlite');

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ulid = monotonicFactory();
const DAY = 86_400_000;

/** `bk_` + 48 base62 characters, as the server generates them (bias is irrelevant for a bench). */
function beakKey() {
  const bytes = crypto.randomBytes(48);
  let s = 'bk_';
  for (const b of bytes) s += BASE62[b % 62];
  return s;
}

/** Rows for `n` agents of one duckling and their primary keys, as AgentService.register writes them. */
function agentRows(ducklingId, n) {
  const now = Date.now();
  const agents = [], keys = [], plain = [];
  for (let i = 0; i < n; i++) {
    const id = `sd_${ulid(now)}`, key = beakKey();
    plain.push(key);
    agents.push({
      id, duckling_id: ducklingId, name: `bench-${i}`, agent_type: 'bench', capabilities: '[]', parent_id: null, provider: null, model: null,
      status: 'bonded', handshake_hash: null, handshake_expires_at: null, bonded_at: now, last_seen: null, last_status: null,
      last_meta: null, liveness: 'never', created_at: now, deregistered_at: null,
    });
    keys.push({
      id: `key_${ulid(now)}`, key_hash: crypto.createHash('sha256').update(key).digest('hex'), owner_type: 'agent', owner_id: id,
      duckling_id: ducklingId, name: 'primary', preview: `${key.slice(0, 7)}…${key.slice(-4)}`, is_primary: 1, status: 'active',
      created_at: now, expires_at: now + 90 * DAY, last_used_at: null, revoked_at: null, replaced_by: null, grace_until: null,
    });
  }
  return { agents, keys, plain };
}

function seedSqlite(dataDir, ducklingId, n) {
  if (n <= 0) return [];
  const db = new SQLite(path.join(dataDir, 'spaceduck.db'));
  db.pragma('busy_timeout = 10000');
  const { agents, keys, plain } = agentRows(ducklingId, n);
  const insert = (table, rows) => {
    const cols = Object.keys(rows[0]);
    const stmt = db.prepare(`insert into ${table} (${cols.join(',')}) values (${cols.map((c) => `@${c}`).join(',')})`);
    for (const r of rows) stmt.run(r);
  };
  db.transaction(() => { insert('agents', agents); insert('beak_keys', keys); })();
  db.close();
  return plain;
}

async function seedPg(url, ducklingId, n) {
  if (n <= 0) return [];
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { agents, keys, plain } = agentRows(ducklingId, n);
  const insert = async (table, rows) => {
    const cols = Object.keys(rows[0]);
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      const values = [], params = [];
      chunk.forEach((r, j) => {
        values.push(`(${cols.map((_, k) => `$${j * cols.length + k + 1}`).join(',')})`);
        params.push(...cols.map((c) => r[c]));
      });
      await client.query(`insert into ${table} (${cols.join(',')}) values ${values.join(',')}`, params);
    }
  };
  await client.query('begin');
  await insert('agents', agents);
  await insert('beak_keys', keys);
  await client.query('commit');
  // Fresh bulk rows have no planner statistics yet; a live database would have them.
  await client.query('analyze agents; analyze beak_keys');
  await client.end();
  return plain;
}

const BODY = JSON.stringify({ status: 'active', meta: { agent_version: '1.0.0', uptime_seconds: 12, tasks: 3 } });

/** Pulses, each request with the next key: every key in the population is used in turn. */
async function pulses(url, keys, name, seconds = duration, route = '/beak/pulse') {
  let i = 0;
  const r = await load({
    url, connections, duration: seconds,
    requests: [{
      method: 'POST', path: route, body: BODY,
      setupRequest: (req) => ({ ...req, headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[i++ % keys.length]}` } }),
    }],
  });
  return { name, ...r };
}

const fixedBaseline = async (url) => ({
  name: 'bare Fastify POST, one fixed request',
  ...(await load({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY, connections, duration })),
});
const median = (runs) => [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)];

const rows = [];
const notes = [];
const t0 = Date.now();

// 1. Baseline and SQLite. Idle servers cost nothing, so both stay up and the rounds alternate.
const baseline = await startBaseline();
const sqlite = withSqlite ? await startServer() : null;
try {
  const streamKeys = Array.from({ length: AGENTS }, beakKey); // same shape and rotation as the agents' keys
  const baseRun = () => pulses(baseline.url, streamKeys, 'bare Fastify POST, same rotating requests (baseline)', duration, '/');
  await pulses(baseline.url, streamKeys, 'warm-up', 2, '/');
  if (!sqlite) rows.push(await baseRun());
  else {
    const owner = await hatch(sqlite.url);
    let keys = seedSqlite(sqlite.dataDir, owner.duckling_id, SMALL);
    await pulses(sqlite.url, keys, 'warm-up', 2);
    const small = await pulses(sqlite.url, keys, `pulse, SQLite, ${SMALL.toLocaleString('en')} agents`);
    keys = keys.concat(seedSqlite(sqlite.dataDir, owner.duckling_id, AGENTS - SMALL));
    await pulses(sqlite.url, keys, 'warm-up', 2);
    const base = [], main = [];
    for (let r = 0; r < rounds; r++) {
      base.push(await baseRun());
      main.push(await pulses(sqlite.url, keys, `pulse, SQLite, ${AGENTS.toLocaleString('en')} agents`));
    }
    rows.push(median(base), small, median(main));
    notes.push(`${AGENTS.toLocaleString('en')} agents, ${rounds} rounds: baseline ${base.map((r) => Math.round(r.rps)).join(' / ')}, pulses ${main.map((r) => Math.round(r.rps)).join(' / ')} req/s`);
    const t = Date.now();
    keys = keys.concat(seedSqlite(sqlite.dataDir, owner.duckling_id, BIG - AGENTS));
    notes.push(`seeded ${BIG.toLocaleString('en')} agents + keys into SQLite in ${((Date.now() - t) / 1000).toFixed(1)} s (cumulative)`);
    const idle = sqlite.rss();
    // One lap over every key first, as for the runs above: each agent's key is then remembered
    // (on SQLite, src/db/watched-cache.ts), as it is once an agent has pulsed once.
    await pulses(sqlite.url, keys, 'warm-up', Math.max(2, Math.ceil(BIG / 5000)));
    rows.push(await pulses(sqlite.url, keys, `pulse, SQLite, ${BIG.toLocaleString('en')} agents`));
    notes.push(`server RSS with ${BIG.toLocaleString('en')} agents registered: ${mb(idle)} before the run, ${mb(sqlite.rss())} after it`);
    const check = await (await fetch(`${sqlite.url}/beak/metrics`)).json();
    notes.push(`metrics after the SQLite runs: space_ducks=${check.space_ducks}, agents_alive=${check.agents_alive}`);
  }
  rows.splice(1, 0, await fixedBaseline(baseline.url));
} finally {
  await sqlite?.stop();
  await baseline.stop();
}

// 2. PostgreSQL (+ Redis, as a cluster node runs), in a throwaway database.
if (withPg) {
  const dbName = `spaceduck_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(PG_URL);
  url.pathname = `/${dbName}`;
  const server = await startServer({ env: { DATABASE_URL: url.toString(), ...(REDIS_URL ? { REDIS_URL } : {}) } });
  try {
    const owner = await hatch(server.url);
    let keys = await seedPg(url.toString(), owner.duckling_id, AGENTS);
    await pulses(server.url, keys, 'warm-up', 2);
    rows.push(await pulses(server.url, keys, `pulse, PostgreSQL${REDIS_URL ? '+Redis' : ''}, ${AGENTS.toLocaleString('en')} agents`));
    keys = keys.concat(await seedPg(url.toString(), owner.duckling_id, BIG - AGENTS));
    rows.push(await pulses(server.url, keys, `pulse, PostgreSQL${REDIS_URL ? '+Redis' : ''}, ${BIG.toLocaleString('en')} agents`));
    notes.push(`PostgreSQL server RSS with ${BIG.toLocaleString('en')} agents: ${mb(server.rss())}`);
  } finally {
    await server.stop();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

report(`Authenticated pulses, ${connections} connections, ${duration} s per run, a different agent key on every request`, rows);
for (const n of notes) console.log(`  ${n}`);
const sqlite10k = rows.find((r) => r.name.includes(`SQLite, ${AGENTS.toLocaleString('en')} agents`));
if (sqlite10k) console.log(`\nSQLite pulse at ${AGENTS.toLocaleString('en')} agents: ${(100 * sqlite10k.rps / rows[0].rps).toFixed(1)} % of the baseline (target ≥ 50 %), p99 ${sqlite10k.p99} ms`);
console.log(`total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
const failed = rows.filter((r) => r.non2xx || r.errors);
if (failed.length) { console.log(`non-2xx or errors in: ${failed.map((r) => r.name).join(', ')}`); process.exitCode = 1; }
