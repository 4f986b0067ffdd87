// Platform counts (metrics) and the waitlist / page-view / support writes.
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { Tx } from '../events/bus.js';

export interface Counts {
  ducklings: number; registered: number; eggs: number; birth_certificates: number; certified: number;
  connections: number; bonded: number; space_ducks: number; bonded_agents: number; agents_alive: number;
  pecks_completed: number; domains: number;
}

export class PlatformStore {
  constructor(private readonly db: Db) {}

  async counts(aliveSince: number): Promise<Counts> {
    const k = this.db.kysely;
    const n = (r: { n: unknown } | undefined) => Number(r?.n ?? 0);
    const count = <T extends keyof import('../db/types.js').Database>(t: T) =>
      k.selectFrom(t as 'ducklings').select((eb) => eb.fn.countAll().as('n'));
    const domainExpr = this.db.dialect === 'postgres' ? sql`split_part(email, '@', 2)` : sql`substr(email, instr(email, '@') + 1)`;
    const [ducklings, registered, eggs, certs, certified, connections, bondedA, bondedB, ducks, bondedAgents, alive, pecks, domains] = await Promise.all([
      count('ducklings').executeTakeFirst(),
      count('ducklings').where('email_verified', '=', 1).executeTakeFirst(),
      count('newsletter_subscribers' as 'ducklings').executeTakeFirst(),
      count('certificates' as 'ducklings').executeTakeFirst(),
      k.selectFrom('certificates').select((eb) => eb.fn.count('duckling_id').distinct().as('n')).where('status', '=', 'valid').executeTakeFirst(),
      k.selectFrom('connections').select((eb) => eb.fn.countAll().as('n')).where('removed_at', 'is', null).executeTakeFirst(),
      k.selectFrom('connections').select('requester_duckling_id as id').where('removed_at', 'is', null).distinct().execute(),
      k.selectFrom('connections').select('target_duckling_id as id').where('removed_at', 'is', null).distinct().execute(),
      k.selectFrom('agents').select((eb) => eb.fn.countAll().as('n')).where('status', '!=', 'deregistered').executeTakeFirst(),
      k.selectFrom('agents').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'bonded').executeTakeFirst(),
      k.selectFrom('agents').select((eb) => eb.fn.countAll().as('n')).where('status', '!=', 'deregistered')
        .where('last_status', '=', 'active').where('last_seen', '>', aliveSince).executeTakeFirst(),
      k.selectFrom('pecks').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'approved').executeTakeFirst(),
      k.selectFrom('ducklings').select(sql<number>`count(distinct ${domainExpr})`.as('n')).where('email_verified', '=', 1).executeTakeFirst(),
    ]);
    return {
      ducklings: n(ducklings), registered: n(registered), eggs: n(eggs), birth_certificates: n(certs), certified: n(certified),
      connections: n(connections), bonded: new Set([...bondedA, ...bondedB].map((r) => r.id)).size,
      space_ducks: n(ducks), bonded_agents: n(bondedAgents), agents_alive: n(alive), pecks_completed: n(pecks), domains: n(domains),
    };
  }

  async agentsAlive(aliveSince: number): Promise<number> {
    const r = await this.db.kysely.selectFrom('agents').select((eb) => eb.fn.countAll().as('n')).where('status', '!=', 'deregistered')
      .where('last_status', '=', 'active').where('last_seen', '>', aliveSince).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** true when the address is new to the waitlist. */
  async subscribe(tx: Tx, email: string, partnerType: string | null, now: number): Promise<boolean> {
    const r = await tx.insertInto('newsletter_subscribers').values({ email, partner_type: partnerType, created_at: now })
      .onConflict((oc) => oc.column('email').doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }
}
