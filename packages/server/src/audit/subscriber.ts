// Every event that belongs to a duckling is an audit entry of that duckling.
import type { Events } from '../events/bus.js';
import { newId } from '../kernel/ids.js';

export function auditEvents(events: Events): void {
  events.subscribe(async (tx, ev) => {
    if (!ev.ducklingId) return;
    await tx.insertInto('audit_entries').values({
      id: newId('aud', ev.createdAt), duckling_id: ev.ducklingId, event_type: ev.type, actor_id: ev.actorId,
      target_id: ev.subjectId, ip: ev.ctx.ip, user_agent: ev.ctx.userAgent?.slice(0, 256) ?? null,
      detail: JSON.stringify(ev.data), created_at: ev.createdAt,
    }).execute();
  });
}
