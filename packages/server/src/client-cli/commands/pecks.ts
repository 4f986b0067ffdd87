// peck send|approve|deny|list.
import { UsageError } from '../args.js';
import type { Ctx } from '../context.js';
import { columns } from '../io.js';

/** An email, a duckling id or a Space Duck id, said however the user likes. */
function target(t: string): Record<string, string> {
  if (t.includes('@')) return { target_email: t };
  if (t.startsWith('sd_')) return { target_spaceduck_id: t };
  return { target_duckling_id: t };
}

export async function peck(ctx: Ctx): Promise<number> {
  const { io, args } = ctx;
  const sub = args.need(0, 'subcommand: send, approve, deny or list');
  const duck = ctx.client();
  switch (sub) {
    case 'send': {
      const to = args.need(1, 'target (email, dk_… or sd_…)');
      const r = await io.progress('Pecking…', () => duck.pecks.send({
        ...target(to),
        ...(args.str('purpose') ? { purpose: args.str('purpose')! } : {}),
        ...(args.str('action') ? { action: args.str('action')! } : {}),
        ...(args.str('scope') ? { scope: args.str('scope')! } : {}),
        ...(args.str('as') ? { requester_id: args.str('as')! } : {}),
      }));
      io.result(r, () => `Peck ${r.peck_id} sent to ${r.target_email ?? r.target_id}; it expires at ${r.expires_at}.\nThe target approves with \`spaceduck peck approve ${r.peck_id}\` (or the emailed code).`);
      return 0;
    }
    case 'approve': {
      const id = args.need(1, 'peck id (peck_…)');
      const r = await duck.pecks.approve({ peck_id: id, ...(args.str('otp') ? { otp: args.str('otp')! } : {}) });
      io.result(r, () => ('connection_id' in r ? `Bonded: ${r.connection_id} (${r.requester_id} ⇄ ${r.target_id}).` : `Peck ${r.peck_id} ${r.status}.`));
      return 0;
    }
    case 'deny': {
      const id = args.need(1, 'peck id (peck_…)');
      const r = await duck.pecks.deny({ peck_id: id, ...(args.str('reason') ? { reason: args.str('reason')! } : {}) });
      io.result(r, () => `Denied ${r.peck_id}${r.reason ? ` (${r.reason})` : ''}.`);
      return 0;
    }
    case 'list': {
      const direction = args.str('direction');
      if (direction && direction !== 'sent' && direction !== 'received') throw new UsageError('--direction is sent or received');
      const r = args.bool('pending')
        ? await duck.pecks.pending()
        : await duck.pecks.history({
          ...(direction ? { direction: direction as 'sent' } : {}),
          ...(args.str('status') ? { status: args.str('status') as 'pending' } : {}),
          ...(args.str('limit') ? { limit: args.int('limit', 1, 100) } : {}),
        });
      io.result(r, () => (r.pecks.length
        ? columns(['PECK', 'DIR', 'STATUS', 'FROM', 'TO', 'PURPOSE', 'EXPIRES'], r.pecks.map((p) => [p.peck_id, p.direction, p.status, p.requester_id, p.target_email ?? p.target_id, p.purpose, p.expires_at]))
        : 'No pecks.'));
      return 0;
    }
    default:
      throw new UsageError(`unknown peck subcommand "${sub}"`);
  }
}
