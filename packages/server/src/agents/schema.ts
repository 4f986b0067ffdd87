// Space Ducks (agents): a duckling's registered AI agents, their spawn tree and last pulse.
import type { Kysely, Migration } from 'kysely';

export interface AgentRow {
  id: string; duckling_id: string; name: string; agent_type: string | null; capabilities: string;
  parent_id: string | null; provider: string | null; model: string | null; status: string;
  handshake_hash: string | null; handshake_expires_at: number | null; bonded_at: number | null;
  last_seen: number | null; last_status: string | null; last_meta: string | null;
  /** The liveness last announced (so `agent.inactive` fires once per transition). */
  liveness: string; created_at: number; deregistered_at: number | null;
}

export interface AgentTables { agents: AgentRow }

export const migrations: Record<string, Migration> = {
  '0005_agents': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('agents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('duckling_id', 'text', (c) => c.notNull().references('ducklings.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('agent_type', 'text')
        .addColumn('capabilities', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'text')
        .addColumn('provider', 'text')
        .addColumn('model', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('handshake_hash', 'text')
        .addColumn('handshake_expires_at', 'bigint')
        .addColumn('bonded_at', 'bigint')
        .addColumn('last_seen', 'bigint')
        .addColumn('last_status', 'text')
        .addColumn('last_meta', 'text')
        .addColumn('liveness', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('deregistered_at', 'bigint').execute();
      await db.schema.createIndex('agents_duckling').on('agents').columns(['duckling_id', 'id']).execute();
      // The sweeper walks announced liveness states in id order; the pulse time is deliberately
      // not indexed, so a steady pulse rewrites no index entry.
      await db.schema.createIndex('agents_liveness').on('agents').columns(['liveness', 'id']).execute();
    },
  },
};
