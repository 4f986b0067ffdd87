// What every client command needs: the profile from the credentials file, the server URL, and
// a client whose credential changes (rotation, sign-in) are written back to the profile.
import {
  DEFAULT_BASE_URL, SpaceDuck, configPath, profileCredential, profileName, readConfig, saveProfile, type Profile,
} from '@spaceduck/sdk/node';
import type { Args } from './args.js';
import { UsageError } from './args.js';
import type { Io } from './io.js';

export class Ctx {
  readonly file: string;
  readonly profileName: string;
  readonly baseUrl: string;
  profile: Profile;

  constructor(readonly io: Io, readonly args: Args, readonly env: NodeJS.ProcessEnv = process.env) {
    this.file = configPath(env);
    this.profileName = profileName(args.str('profile'), env, this.file);
    this.profile = readConfig(this.file).profiles[this.profileName] ?? {};
    this.baseUrl = (args.str('url') ?? env.SPACEDUCK_URL ?? this.profile.base_url ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  }

  /** A credential from the environment overrides the profile and is never written back. */
  get envCredential(): string | undefined { return this.env.SPACEDUCK_BEAK_KEY || this.env.SPACEDUCK_TOKEN || undefined; }

  /** An unauthenticated client (hatch, login, public lookups). */
  anonymous(): SpaceDuck {
    return new SpaceDuck({ baseUrl: this.baseUrl, onRetry: this.io.onRetry });
  }

  /** A client with the profile's credential; `prefer: 'beak_key'` picks the stored key over a session. */
  client(opts: { prefer?: 'beak_key' } = {}): SpaceDuck {
    const credential = this.envCredential
      ?? (opts.prefer === 'beak_key' && this.profile.beak_key ? this.profile.beak_key : profileCredential(this.profile));
    if (!credential) throw new UsageError(`not signed in (profile "${this.profileName}"): run \`spaceduck login\` or \`spaceduck hatch\`, or set SPACEDUCK_BEAK_KEY`);
    const persist = !this.envCredential;
    return new SpaceDuck({
      baseUrl: this.baseUrl,
      ...(credential.startsWith('bk_') ? { beakKey: credential } : { token: credential }),
      onRetry: this.io.onRetry,
      onCredentialChange: (c) => {
        if (!persist) return;
        this.save(c.kind === 'beak_key' ? { beak_key: c.value } : { token: c.value, expires_at: c.expires_at });
      },
    });
  }

  save(changes: Partial<Profile>, name = this.profileName): void {
    const next = saveProfile(name, { base_url: this.baseUrl, ...changes }, this.file);
    if (name === this.profileName) this.profile = next;
  }
}
