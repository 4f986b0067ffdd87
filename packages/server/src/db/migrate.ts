// One ordered set of migrations for both dialects, gathered from the features that own the tables.
// Kysely's Migrator serialises concurrent runs (an advisory lock on PostgreSQL), so several
// nodes may start at once against one database.
import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './index.js';
import { migrations as platform } from '../platform/schema.js';
import { migrations as identity } from '../identity/schema.js';
import { migrations as sessions } from '../sessions/schema.js';
import { migrations as keys } from '../keys/schema.js';
import { migrations as agents } from '../agents/schema.js';
import { migrations as certs } from '../certs/schema.js';
import { migrations as sso } from '../sso/schema.js';
import { migrations as pecks } from '../pecks/schema.js';
import { migrations as webhooks } from '../webhooks/schema.js';

const all: Record<string, Migration> = { ...platform, ...identity, ...sessions, ...keys, ...agents, ...certs, ...sso, ...pecks, ...webhooks };

const provider: MigrationProvider = { getMigrations: async () => all };

export async function migrate(db: Db): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one: pin it to ours,
  // or a second schema in the same database (tests, other tenants) makes it skip creating them.
  const schema = db.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely)).rows[0]?.s : undefined;
  const migrator = new Migrator({ db: db.kysely, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    // Kysely's introspector scans every schema of the database; one dropped by someone else
    // mid-scan fails the scan with 3F000 (not our schema: ours was just created). Migrations
    // run in a transaction, so trying again is safe.
    const code = (error as { code?: string }).code;
    if (code === '3F000' && attempt < 5) continue;
    throw error instanceof Error ? error : new Error(String(error));
  }
}
