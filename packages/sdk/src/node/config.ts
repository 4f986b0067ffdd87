// The credentials file shared by the `spaceduck` command and Node programs:
// $SPACEDUCK_CONFIG, else $XDG_CONFIG_HOME/spaceduck/config.json, else ~/.config/spaceduck/config.json.
// It holds secrets (session tokens, Beak Keys): the folder is 0700, the file 0600, and it is
// replaced atomically so a crash never leaves half a file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SpaceDuck, type SpaceDuckOptions } from '../client.js';

export interface Profile {
  base_url?: string;
  /** Session token and its expiry (from login / hatch). */
  token?: string;
  expires_at?: string;
  /** A Beak Key: an operator's key, or an agent's own. */
  beak_key?: string;
  duckling_id?: string;
  /** Set when the profile is an agent's: its Space Duck id. */
  spaceduck_id?: string;
  email?: string;
  display_name?: string;
  cert_id?: string;
}

export interface ConfigFile {
  current?: string;
  profiles: Record<string, Profile>;
}

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPACEDUCK_CONFIG) return path.resolve(env.SPACEDUCK_CONFIG);
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'spaceduck', 'config.json');
}

export function readConfig(file = configPath()): ConfigFile {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<ConfigFile>;
  return { current: parsed.current, profiles: parsed.profiles && typeof parsed.profiles === 'object' ? parsed.profiles : {} };
}

export function writeConfig(config: ConfigFile, file = configPath()): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600); // the umask may have narrowed it already; never widen
  fs.renameSync(tmp, file);
}

/** Merges `changes` into a profile (undefined values delete fields) and saves. */
export function saveProfile(name: string, changes: Partial<Profile>, file = configPath()): Profile {
  const config = readConfig(file);
  const next: Profile = { ...config.profiles[name] };
  for (const [k, v] of Object.entries(changes) as Array<[keyof Profile, string | undefined]>) {
    if (v === undefined) delete next[k]; else next[k] = v;
  }
  config.profiles[name] = next;
  config.current ??= name;
  writeConfig(config, file);
  return next;
}

export function removeProfile(name: string, file = configPath()): boolean {
  const config = readConfig(file);
  if (!config.profiles[name]) return false;
  delete config.profiles[name];
  if (config.current === name) config.current = Object.keys(config.profiles)[0];
  writeConfig(config, file);
  return true;
}

export function profileName(explicit?: string, env: NodeJS.ProcessEnv = process.env, file = configPath(env)): string {
  return explicit ?? env.SPACEDUCK_PROFILE ?? readConfig(file).current ?? 'default';
}

const live = (p: Profile, now = Date.now()): boolean => !!p.token && (!p.expires_at || Date.parse(p.expires_at) > now + 30_000);

/** The credential a profile should use: an unexpired session, else its Beak Key. */
export function profileCredential(p: Profile): string | undefined {
  return live(p) ? p.token : p.beak_key;
}

export interface FromConfigOptions extends Partial<SpaceDuckOptions> {
  profile?: string;
  env?: NodeJS.ProcessEnv;
  /** Write rotated keys and new sessions back to the profile (default true). */
  persist?: boolean;
}

/**
 * A client configured like the `spaceduck` command: explicit options, then SPACEDUCK_URL /
 * SPACEDUCK_BEAK_KEY / SPACEDUCK_TOKEN, then the profile in the credentials file.
 */
export function clientFromConfig(options: FromConfigOptions = {}): SpaceDuck {
  const env = options.env ?? process.env;
  const file = configPath(env);
  const name = profileName(options.profile, env, file);
  const p = readConfig(file).profiles[name] ?? {};
  const baseUrl = options.baseUrl ?? env.SPACEDUCK_URL ?? p.base_url ?? DEFAULT_BASE_URL;
  const fromEnv = env.SPACEDUCK_BEAK_KEY || env.SPACEDUCK_TOKEN;
  const { beakKey, token, profile: _p, env: _e, persist: _s, ...rest } = options;
  const credential = beakKey ?? token ?? fromEnv ?? profileCredential(p);
  const persist = options.persist ?? !fromEnv;
  return new SpaceDuck({
    ...rest,
    baseUrl,
    ...(credential?.startsWith('bk_') ? { beakKey: credential } : credential ? { token: credential } : {}),
    onCredentialChange: (c) => {
      if (persist) saveProfile(name, c.kind === 'beak_key' ? { beak_key: c.value } : { token: c.value, expires_at: c.expires_at }, file);
      options.onCredentialChange?.(c);
    },
  });
}
