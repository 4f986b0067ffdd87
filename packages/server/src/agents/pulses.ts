// Pulses are heartbeats: only the latest one of each identity matters, and they arrive far more
// often than anything else. So a pulse is answered at once and its write is coalesced: the
// latest pulse per identity waits here (at most FLUSH_MS, or until MAX_PENDING identities are
// waiting) and a batch is written in one transaction (PostgreSQL: a few multi-row statements per
// few hundred identities; SQLite: per-row prepared statements, see AgentStore). This node's reads overlay what is still waiting, so they never lag; other nodes
// see a pulse within FLUSH_MS. A crash loses at most that much of heartbeats, never consistency.
import { sql } from 'kysely';
import type { Deps } from '../app.js';
import type { AgentStore, PendingPulse } from './store.js';

export const FLUSH_MS = 200;
const MAX_PENDING = 2000;

export class PulseBuffer {
  private agents = new Map<string, PendingPulse>();
  private ducklings = new Map<string, PendingPulse>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;
  private inflight: Map<string, PendingPulse>[] = [];

  constructor(private readonly d: Deps, private readonly store: AgentStore) {}

  add(kind: 'agent' | 'duckling', pulse: PendingPulse): void {
    const map = kind === 'agent' ? this.agents : this.ducklings;
    map.delete(pulse.id); // re-insert: iteration order stays oldest-first
    map.set(pulse.id, pulse);
    if (this.agents.size + this.ducklings.size >= MAX_PENDING) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Final write at shutdown; nothing is retried afterwards. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  /** The pulse of `id` not yet committed, if any (waiting, or in a batch being written). */
  pending(id: string): PendingPulse | undefined {
    const waiting = this.agents.get(id) ?? this.ducklings.get(id);
    if (waiting) return waiting;
    for (let i = this.inflight.length - 1; i >= 0; i--) {
      const p = this.inflight[i]!.get(id);
      if (p) return p;
    }
    return undefined;
  }

  /** Writes everything waiting now; resolves once it (and any flush before it) is stored. */
  flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const batch = new Map([...this.agents, ...this.ducklings]);
    const agents = [...this.agents.values()];
    const ducklings = [...this.ducklings.values()];
    this.agents = new Map();
    this.ducklings = new Map();
    // Readers on this node keep seeing the batch until it is committed (another connection
    // could otherwise read the row before the write lands).
    if (batch.size) this.inflight.push(batch);
    const run = async () => {
      if (!batch.size) return;
      try {
        if (!this.store.writePulsesNow(agents, ducklings)) {
          await this.d.db.kysely.transaction().execute(async (tx) => {
            // PostgreSQL: heartbeats need not wait for the WAL flush (the rest of the platform does).
            if (this.d.db.dialect === 'postgres') await sql`set local synchronous_commit = off`.execute(tx);
            await this.store.writeAgentPulses(tx, agents);
            await this.store.writeDucklingPulses(tx, ducklings);
          });
        }
      } catch (err) {
        if (this.closed) return;
        this.d.log.warn({ err: (err as Error).message, pulses: agents.length + ducklings.length }, 'pulse write failed; retrying with the next batch');
        // Put them back unless a newer pulse of the same identity arrived meanwhile.
        for (const p of agents) if (!this.agents.has(p.id)) this.agents.set(p.id, p);
        for (const p of ducklings) if (!this.ducklings.has(p.id)) this.ducklings.set(p.id, p);
        if (!this.timer && (this.agents.size || this.ducklings.size)) {
          this.timer = setTimeout(() => void this.flush(), FLUSH_MS * 5);
          this.timer.unref();
        }
      } finally {
        // Kept a moment past the commit: a read that started before it may finish after it.
        setTimeout(() => { this.inflight = this.inflight.filter((b) => b !== batch); }, 1000).unref();
      }
    };
    this.flushing = this.flushing.then(run);
    return this.flushing;
  }
}
