// The one mechanism for cross-feature side effects. A feature records a domain event inside the
// transaction that made the change; subscribers (audit log, webhook outbox) write their rows in
// that same transaction, so either everything happened or nothing did.
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import type { Clock } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';

export type Tx = Kysely<Database>;

/** Who did it and from where; carried into audit entries. Never holds secrets. */
export interface RequestContext { ip: string | null; userAgent: string | null; requestId?: string }

export const systemContext: RequestContext = { ip: null, userAgent: 'spaceduck/system' };

export interface DomainEvent {
  type: string;
  /** The duckling whose log and webhooks receive the event (null for anonymous platform events). */
  ducklingId: string | null;
  actorId?: string | null;
  subjectId?: string | null;
  data?: Record<string, unknown>;
  ctx?: RequestContext;
}

export interface RecordedEvent extends Required<Omit<DomainEvent, 'ctx'>> { id: string; createdAt: number; ctx: RequestContext }

export type Subscriber = (tx: Tx, event: RecordedEvent) => Promise<void>;
export type CommitListener = (event: RecordedEvent) => void;

export class Events {
  private subscribers: Subscriber[] = [];
  private listeners: CommitListener[] = [];

  constructor(private readonly clock: Clock) {}

  /** In-transaction subscriber: its writes commit or roll back with the change. */
  subscribe(fn: Subscriber): void { this.subscribers.push(fn); }

  /** Told after `record` returns; used to wake workers early. May fire before commit, so it must only nudge. */
  onRecorded(fn: CommitListener): void { this.listeners.push(fn); }

  async record(tx: Tx, e: DomainEvent): Promise<RecordedEvent> {
    const createdAt = this.clock.now();
    const ev: RecordedEvent = {
      id: newId('evt', createdAt), type: e.type, ducklingId: e.ducklingId, actorId: e.actorId ?? null,
      subjectId: e.subjectId ?? null, data: e.data ?? {}, ctx: e.ctx ?? systemContext, createdAt,
    };
    await tx.insertInto('events').values({
      id: ev.id, type: ev.type, duckling_id: ev.ducklingId, actor_id: ev.actorId, subject_id: ev.subjectId,
      data: JSON.stringify(ev.data), created_at: createdAt,
    }).execute();
    for (const s of this.subscribers) await s(tx, ev);
    for (const l of this.listeners) setImmediate(() => l(ev));
    return ev;
  }
}
