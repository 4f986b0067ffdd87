// argon2id with the OWASP parameters (m=19456 KiB, t=2, p=1). @node-rs/argon2 hashes on the
// libuv thread pool, so the event loop stays free under sign-in load.
import { hash, verify, Algorithm } from '@node-rs/argon2';

export const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try { return await verify(stored, password); } catch { return false; }
}

/** True when the stored hash was made with other parameters: rehash it on the next good sign-in. */
export function needsRehash(stored: string): boolean {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  return !m || Number(m[1]) !== ARGON2.memoryCost || Number(m[2]) !== ARGON2.timeCost || Number(m[3]) !== ARGON2.parallelism;
}

/** Verified against for unknown accounts so that timing does not reveal who has an account. */
let dummy: Promise<string> | undefined;
export const dummyHash = (): Promise<string> => (dummy ??= hashPassword('spaceduck-dummy-password-for-timing'));
