// login, logout, hatch, whoami.
import { AuthenticationError, type Session } from '@spaceduck/sdk';
import { UsageError } from '../args.js';
import type { Ctx } from '../context.js';
import { table } from '../io.js';

export async function login(ctx: Ctx): Promise<number> {
  const { io, args } = ctx;
  const key = args.str('beak-key');
  if (key !== undefined) {
    // An agent (or a script) logs in with a Beak Key: check it works, then keep it.
    const beakKey = key === '-' ? await io.ask('Beak Key: ', { hidden: true }) : key;
    if (!/^bk_[A-Za-z0-9]{20,}$/.test(beakKey)) throw new UsageError('that is not a Beak Key (bk_…)');
    const duck = ctx.anonymous();
    duck.setCredential(beakKey);
    const me = await io.progress('Checking the key…', () => duck.profile());
    ctx.save({ beak_key: beakKey, token: undefined, expires_at: undefined, duckling_id: me.duckling_id, email: me.email, display_name: me.display_name, spaceduck_id: args.str('agent') });
    io.result({ profile: ctx.profileName, base_url: ctx.baseUrl, duckling_id: me.duckling_id, credential: 'beak_key' },
      () => `Logged in to ${ctx.baseUrl} with a Beak Key of ${me.display_name} (${me.duckling_id}); saved to profile "${ctx.profileName}".`);
    return 0;
  }

  const email = args.str('email') ?? ctx.profile.email ?? await io.ask('Email: ');
  const duck = ctx.anonymous();
  let session: Session | null;
  if (args.bool('code')) {
    session = await passwordless(ctx, email);
  } else {
    const password = args.bool('password-stdin') ? await io.ask('') : await io.ask('Password (empty for an emailed code): ', { hidden: true });
    session = password
      ? await io.progress('Signing in…', () => duck.signIn({ email, password, issue_beak_key: args.bool('with-key') }))
      : await passwordless(ctx, email);
  }
  if (!session) throw new Error('sign-in did not return a session');
  ctx.save({
    token: session.access_token, expires_at: session.expires_at, duckling_id: session.duckling_id, email: session.email,
    display_name: session.display_name, spaceduck_id: undefined, ...(session.beak_key ? { beak_key: session.beak_key } : {}),
  });
  io.result({ profile: ctx.profileName, base_url: ctx.baseUrl, duckling_id: session.duckling_id, email: session.email, trust_tier: session.trust_tier, expires_at: session.expires_at, beak_key_saved: !!session.beak_key },
    () => `Logged in as ${session.display_name} <${session.email}> (${session.trust_tier}) until ${session.expires_at}; saved to profile "${ctx.profileName}".`
      + (session.beak_key ? '\nA new Beak Key was minted and saved: the command keeps working after the session expires.' : ''));
  return 0;
}

async function passwordless(ctx: Ctx, email: string): Promise<Session | null> {
  const duck = ctx.anonymous();
  await ctx.io.progress('Sending a sign-in code…', () => duck.signIn({ email }));
  const code = ctx.args.str('otp') ?? await ctx.io.ask(`Code sent to ${email}: `);
  return ctx.io.progress('Signing in…', () => duck.signIn({ email, code, issue_beak_key: ctx.args.bool('with-key') }));
}

export async function logout(ctx: Ctx): Promise<number> {
  if (ctx.profile.token) {
    try { await ctx.client().signOut(); } catch (err) { if (!(err instanceof AuthenticationError)) throw err; }
  }
  ctx.save({ token: undefined, expires_at: undefined, ...(ctx.args.bool('forget-key') ? { beak_key: undefined } : {}) });
  ctx.io.result({ profile: ctx.profileName, signed_out: true }, () => `Signed out of profile "${ctx.profileName}".${ctx.profile.beak_key ? ' Its Beak Key is kept (--forget-key drops it).' : ''}`);
  return 0;
}

export async function hatch(ctx: Ctx): Promise<number> {
  const { io, args } = ctx;
  const email = args.str('email') ?? args.positional[0] ?? await io.ask('Email: ');
  let password = args.str('password');
  if (password === undefined && !args.bool('no-password')) password = await io.ask('Password (8+ characters, empty for passwordless): ', { hidden: true });
  const duck = ctx.anonymous();
  const hatched = await io.progress('Hatching…', () => duck.hatch({ email, ...(password ? { password } : {}), ...(args.str('display-name') ? { display_name: args.str('display-name')! } : {}) }));
  io.note(`Hatched ${hatched.display_name} (${hatched.duckling_id}) at T0. A verification code was emailed to ${email}.`);
  const code = args.str('code') ?? await io.ask('Verification code: ');
  const v = await io.progress('Verifying…', () => duck.verify({ email, code }));
  ctx.save({
    token: v.access_token, expires_at: v.expires_at, beak_key: v.beak_key, duckling_id: v.duckling_id, email: v.email,
    display_name: v.display_name, cert_id: v.cert_id, spaceduck_id: undefined,
  });
  io.result({ profile: ctx.profileName, duckling_id: v.duckling_id, email: v.email, display_name: v.display_name, trust_tier: v.trust_tier, cert_id: v.cert_id, beak_key: v.beak_key },
    () => `${table([['duckling', v.duckling_id], ['name', v.display_name], ['trust tier', v.trust_tier], ['certificate', v.cert_id], ['Beak Key', v.beak_key]])}\n`
      + `The Beak Key is shown only this once; it is saved (mode 0600) in ${ctx.file}, profile "${ctx.profileName}".`);
  return 0;
}

export async function whoami(ctx: Ctx): Promise<number> {
  const duck = ctx.client();
  const me = await ctx.io.progress('Asking the server…', () => duck.profile());
  const kind = duck.credential?.startsWith('bk_') ? (ctx.profile.spaceduck_id ? `agent ${ctx.profile.spaceduck_id}'s Beak Key` : 'Beak Key') : 'session';
  ctx.io.result({ ...me, profile: ctx.profileName, base_url: ctx.baseUrl, credential: kind, spaceduck_id: ctx.profile.spaceduck_id },
    () => table([
      ['profile', `${ctx.profileName} (${ctx.baseUrl})`], ['signed in with', kind], ['duckling', me.duckling_id], ['email', me.email],
      ['name', me.display_name], ['trust tier', me.trust_tier], ['certificate', me.cert_id ? `${me.cert_id} (${me.cert_status})` : null],
      ['Space Ducks', me.egg_count],
    ]));
  return 0;
}
