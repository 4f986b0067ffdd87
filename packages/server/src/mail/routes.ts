// GET /beak/dev/mail — the development mailbox. Registered only outside production.
import { Type } from '@sinclair/typebox';
import type { App } from '../app.js';

export async function devMailRoutes(app: App): Promise<void> {
  app.get('/beak/dev/mail', {
    schema: {
      tags: ['development'], summary: 'Read the development mailbox (absent in production)',
      querystring: Type.Object({ to: Type.String({ minLength: 1, maxLength: 254 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
      response: {
        200: Type.Object({
          messages: Type.Array(Type.Object({
            to: Type.String(), channel: Type.String(), subject: Type.String(), text: Type.String(),
            otp: Type.Union([Type.String(), Type.Null()]), created_at: Type.String(),
          })),
        }),
      },
    },
  }, async (request) => {
    const rows = await app.deps.db.kysely.selectFrom('mailbox').selectAll()
      .where('to_addr', '=', request.query.to.toLowerCase()).orderBy('id', 'desc').limit(request.query.limit ?? 20).execute();
    // Millisecond timestamps here: clients poll for "a code sent after I asked".
    return { messages: rows.map((r) => ({ to: r.to_addr, channel: r.channel, subject: r.subject, text: r.text, otp: r.otp, created_at: new Date(r.created_at).toISOString() })) };
  });
}
