// agent register|list|deregister, and pulse.
import { SpaceDuck, type PulseMeta, type PulseResult } from '@spaceduck/sdk';
import { UsageError } from '../args.js';
import type { Ctx } from '../context.js';
import { columns, table } from '../io.js';

export async function agent(ctx: Ctx): Promise<number> {
  const { io, args } = ctx;
  const sub = args.need(0, 'subcommand: register, list or deregister');
  const duck = ctx.client();
  switch (sub) {
    case 'register': {
      const name = args.need(1, 'agent name');
      const r = await io.progress('Registering…', () => duck.agents.register({
        agent_name: name,
        ...(args.str('type') ? { agent_type: args.str('type')! } : {}),
        ...(args.all('capability').length ? { capabilities: args.all('capability') } : {}),
        ...(args.str('parent') ? { parent_id: args.str('parent')! } : {}),
      }));
      const saveAs = args.str('save-profile');
      let bonded = false;
      if (args.bool('bond') || saveAs) {
        // The agent's side of the ceremony: its own key plus the handshake token.
        const bot = new SpaceDuck({ baseUrl: ctx.baseUrl, beakKey: r.beak_key, onRetry: io.onRetry });
        await bot.agents.bond({ agent_id: r.agent_id, handshake_token: r.handshake_token });
        bonded = true;
      }
      if (saveAs) ctx.save({ beak_key: r.beak_key, spaceduck_id: r.spaceduck_id, duckling_id: r.duckling_id, token: undefined, expires_at: undefined }, saveAs);
      io.result({ ...r, bonded, saved_profile: saveAs ?? null },
        () => `${table([['Space Duck', r.spaceduck_id], ['name', r.agent_name], ['status', bonded ? 'bonded' : r.status], ['Beak Key', r.beak_key],
          ['handshake token', bonded ? undefined : r.handshake_token]])}\n`
          + (saveAs ? `Saved as profile "${saveAs}": run \`spaceduck pulse --profile ${saveAs}\` from the agent.`
            : 'The Beak Key is shown only this once: give it to the agent (e.g. SPACEDUCK_BEAK_KEY).'));
      return 0;
    }
    case 'list': {
      const r = await duck.agents.list({ ...(args.str('limit') ? { limit: args.int('limit', 1, 100) } : {}) });
      io.result(r, () => r.agents.length
        ? columns(['ID', 'NAME', 'STATUS', 'LIVENESS', 'LAST SEEN', 'KEY'], r.agents.map((a) => [a.agent_id, a.agent_name, a.status, a.liveness, a.last_seen, a.beak_key_preview ?? a.beak_key]))
        : 'No Space Ducks yet: `spaceduck agent register <name>`.');
      return 0;
    }
    case 'deregister': {
      const id = args.need(1, 'agent id (sd_…)');
      const r = await duck.agents.deregister(id);
      io.result(r, () => `Deregistered ${r.agent_id}; ${r.revoked_keys} key(s) revoked.`);
      return 0;
    }
    default:
      throw new UsageError(`unknown agent subcommand "${sub}"`);
  }
}

function parseMeta(pairs: string[]): PulseMeta | undefined {
  if (!pairs.length) return undefined;
  const meta: PulseMeta = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--meta takes key=value, got "${p}"`);
    const v = p.slice(eq + 1);
    meta[p.slice(0, eq)] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v;
  }
  return meta;
}

const line = (r: PulseResult) => `${new Date().toISOString().slice(11, 19)}  ✓ pulse ${r.status}  liveness ${r.liveness}  bonds ${r.active_bonds}  ${r.spaceduck_id ?? r.duckling_id}`;

export async function pulse(ctx: Ctx): Promise<number> {
  const { io, args } = ctx;
  const duck = ctx.client({ prefer: 'beak_key' });
  const staticMeta = parseMeta(args.all('meta'));
  const spaceduckId = args.str('agent');
  const status = (args.str('status') ?? 'active').toLowerCase();
  if (!['active', 'paused', 'terminating'].includes(status)) throw new UsageError('--status is active, paused or terminating');
  const every = args.int('every', 1, 86_400);

  if (every === undefined) {
    const r = await duck.pulse({ status: status as 'active', ...(staticMeta ? { meta: staticMeta } : {}), ...(spaceduckId ? { spaceduck_id: spaceduckId } : {}) });
    io.result(r, () => line(r));
    return 0;
  }
  if (status === 'terminating') throw new UsageError('--every with --status terminating makes no sense');
  const started = Date.now();
  const handle = duck.startPulse({
    intervalMs: every * 1000,
    status: status as 'active' | 'paused',
    spaceduckId,
    meta: () => ({ ...staticMeta, uptime_seconds: Math.round((Date.now() - started) / 1000) }),
    onPulse: (r) => io.event(r, line(r)),
    onError: (err) => io.note(`✗ pulse failed: ${(err as Error).message}; next try in ${every} s`),
  });
  io.note(`Pulsing every ${every} s to ${ctx.baseUrl}. Ctrl+C sends "terminating" and stops.`);
  await new Promise<void>((resolve) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const last = await handle.stop();
  io.event(last, `${line(last)}  (stopped)`);
  return 0;
}
