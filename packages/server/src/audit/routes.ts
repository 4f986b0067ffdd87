import { Type } from '@sinclair/typebox';
import type { App } from '../app.js';
import { clampLimit, decodeCursor, page } from '../kernel/pagination.js';
import { iso } from '../kernel/clock.js';

const Entry = Type.Object({
  id: Type.String(), event_type: Type.String(), actor_id: Type.Union([Type.String(), Type.Null()]),
  target_id: Type.Union([Type.String(), Type.Null()]), ip: Type.Union([Type.String(), Type.Null()]),
  user_agent: Type.Union([Type.String(), Type.Null()]), detail: Type.Record(Type.String(), Type.Unknown()), timestamp: Type.String(),
});

export async function auditRoutes(app: App): Promise<void> {
  app.get('/beak/audit', {
    schema: {
      tags: ['platform'], summary: 'Security log of the duckling and its agents',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), cursor: Type.Optional(Type.String({ maxLength: 300 })) }),
      response: { 200: Type.Object({ entries: Type.Array(Entry), next_cursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
    config: { auth: 'required' },
  }, async (request) => {
    const limit = clampLimit(request.query.limit, 100);
    const after = decodeCursor(request.query.cursor);
    let q = app.deps.db.kysely.selectFrom('audit_entries').selectAll().where('duckling_id', '=', request.principal!.ducklingId);
    if (after) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    const { items, next_cursor } = page(rows, limit, (r) => r.id);
    return {
      entries: items.map((r) => ({
        id: r.id, event_type: r.event_type, actor_id: r.actor_id, target_id: r.target_id, ip: r.ip, user_agent: r.user_agent,
        detail: JSON.parse(r.detail) as Record<string, unknown>, timestamp: iso(r.created_at)!,
      })),
      next_cursor,
    };
  });
}
