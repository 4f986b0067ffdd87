// Hot-path queries built with Kysely once, on first use, then only re-bound. Building and
// compiling a query costs more than running a small indexed one, and the credential lookup and
// the pulse run on every agent request. Parameters are named: the query is compiled with a
// sentinel per name and each sentinel's position recorded; any other value Kysely parameterised
// (a literal in the query) is kept as it was. On SQLite the statement runs at once when no
// transaction is open (`Db.readNow`), without a trip through Kysely's executor; on PostgreSQL it
// runs as a named prepared statement (`Db.queryNamed`), planned once per connection.
import { CompiledQuery, type Compilable } from 'kysely';
import type { Db } from '../db/index.js';

type Slot<P> = { name: keyof P } | { value: unknown };

let instances = 0;

export class Prepared<P extends Record<string, unknown>, R> {
  private compiled: { sql: string; slots: Slot<P>[] } | null = null;
  /** Its name as a PostgreSQL prepared statement: one per instance, so one per SQL text. */
  private readonly name = `spaceduck_prepared_${++instances}`;

  constructor(
    private readonly db: Db,
    private readonly names: readonly (keyof P & string)[],
    private readonly build: (p: P) => Compilable<unknown>,
  ) {}

  async rows(params: P): Promise<R[]> {
    const c = (this.compiled ??= this.compile());
    const values = c.slots.map((s) => ('name' in s ? params[s.name] : s.value));
    const now = this.db.readNow?.(c.sql, values);
    if (now) return now as R[];
    if (this.db.queryNamed) return (await this.db.queryNamed(this.name, c.sql, values)) as R[];
    return (await this.db.kysely.executeQuery<R>(CompiledQuery.raw(c.sql, values))).rows;
  }

  async first(params: P): Promise<R | undefined> {
    return (await this.rows(params))[0];
  }

  private compile() {
    const sentinel = (n: string) => `\u0000prepared:${n}\u0000`;
    const sentinels = Object.fromEntries(this.names.map((n) => [n, sentinel(n)])) as P;
    const { sql, parameters } = this.build(sentinels).compile();
    const slots = parameters.map((v): Slot<P> => {
      const name = this.names.find((n) => v === sentinel(n));
      return name ? { name } : { value: v };
    });
    return { sql, slots };
  }
}
