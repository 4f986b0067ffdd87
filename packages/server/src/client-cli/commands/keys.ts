// key list|create|rotate|revoke.
import { UsageError } from '../args.js';
import type { Ctx } from '../context.js';
import { columns, table } from '../io.js';

export async function key(ctx: Ctx): Promise<number> {
  const { io, args } = ctx;
  const sub = args.need(0, 'subcommand: list, create, rotate or revoke');
  switch (sub) {
    case 'list': {
      const r = await ctx.client().keys.list({
        ...(args.str('agent') ? { owner_id: args.str('agent')! } : {}),
        ...(args.str('status') ? { status: args.str('status') as 'active' } : {}),
      });
      io.result(r, () => columns(['KEY ID', 'OWNER', 'NAME', 'PREVIEW', 'STATUS', 'EXPIRES', 'LAST USED'],
        r.keys.map((k) => [k.key_id, `${k.owner_type} ${k.owner_id}`, k.name, k.preview, k.status, k.expires_at, k.last_used_at])));
      return 0;
    }
    case 'create': {
      const r = await ctx.client().keys.create({
        ...(args.str('name') ? { name: args.str('name')! } : {}),
        ...(args.str('agent') ? { agent_id: args.str('agent')! } : {}),
        ...(args.str('days') ? { expires_in_days: args.int('days', 1, 365)! } : {}),
      });
      io.result(r, () => `${table([['key id', r.key_id], ['owner', `${r.owner_type} ${r.owner_id}`], ['expires', r.expires_at], ['Beak Key', r.beak_key]])}\nShown only this once.`);
      return 0;
    }
    case 'rotate': {
      const agentId = args.str('agent');
      // Rotating your own key: authenticate with the stored key so that very key is rotated and
      // the new one replaces it in the profile (a session would rotate the primary key instead).
      const duck = ctx.client(agentId ? {} : { prefer: 'beak_key' });
      const usedStoredKey = !agentId && duck.credential === ctx.profile.beak_key;
      // An agent's profile naming itself: the server rotates the very key presented.
      const ownAgent = !!agentId && agentId === ctx.profile.spaceduck_id && duck.credential === ctx.profile.beak_key;
      const grace = args.int('grace', 0, 86_400);
      const r = await io.progress('Rotating…', () => duck.keys.rotate({ ...(agentId ? { agent_id: agentId } : {}), ...(grace !== undefined ? { grace_seconds: grace } : {}) }));
      // Whose key changed? With a session, the operator's primary key (the one this profile keeps);
      // naming the profile's own agent with its own key, that very key. Either way, keep the new one.
      const own = !agentId || ownAgent;
      if (own && !usedStoredKey && !ctx.envCredential) ctx.save({ beak_key: r.new_beak_key });
      const saved = own && !ctx.envCredential;
      io.result({ ...r, saved_to_profile: saved },
        () => `${table([['owner', r.spaceduck_id ?? r.duckling_id], ['new Beak Key', r.new_beak_key], ['rotated at', r.rotated_at], ['expires', r.expires_at],
          ['old key works until', r.grace_until ?? 'no longer (revoked now)']])}\n`
          + (saved ? `Saved to profile "${ctx.profileName}". Update every other place that uses the old key.` : 'Shown only this once: update the agent now.'));
      return 0;
    }
    case 'revoke': {
      const id = args.need(1, 'key id (key_…)');
      const r = await ctx.client().keys.revoke(id);
      io.result(r, () => `Revoked ${r.key_id} (${r.preview}).`);
      return 0;
    }
    default:
      throw new UsageError(`unknown key subcommand "${sub}"`);
  }
}
