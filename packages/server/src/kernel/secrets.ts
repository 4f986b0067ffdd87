// Server secrets generated on first start and kept in the database, so that every node of a
// cluster shares them (CONTRACT §13). Creation is race-safe: the first insert wins, all read it.
import crypto from 'node:crypto';
import type { Db } from '../db/index.js';
import type { Clock } from './clock.js';

export interface Secrets {
  /** Peppers one-time-code hashes, so a database dump alone cannot brute-force codes offline. */
  otpPepper: Buffer;
  /** Encrypts private material at rest (signing keys, webhook secrets). */
  dataKey: Buffer;
}

async function getOrCreate(db: Db, clock: Clock, name: string): Promise<Buffer> {
  const fresh = crypto.randomBytes(32).toString('base64');
  await db.kysely.insertInto('secrets').values({ name, value: fresh, created_at: clock.now() })
    .onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await db.kysely.selectFrom('secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64');
}

/**
 * With SPACEDUCK_MASTER_KEY set, the data key is derived from it and never stored, so a stolen
 * database does not reveal signing keys. Without it the data key lives in the database.
 */
export async function loadSecrets(db: Db, clock: Clock, masterKey?: string): Promise<Secrets> {
  const otpPepper = await getOrCreate(db, clock, 'otp_pepper');
  const dataKey = masterKey
    ? Buffer.from(crypto.hkdfSync('sha256', Buffer.from(masterKey, /^[0-9a-f]+$/i.test(masterKey) ? 'hex' : 'base64'), 'spaceduck', 'data-key', 32))
    : await getOrCreate(db, clock, 'data_key');
  return { otpPepper, dataKey };
}
