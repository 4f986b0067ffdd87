// Prefixed, time-sortable identifiers (CONTRACT §1.1).
import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

export type IdPrefix = 'dk' | 'sd' | 'cert' | 'peck' | 'conn' | 'key' | 'wh' | 'evt' | 'att' | 'sso' | 'tkt' | 'aud' | 'ses' | 'pk' | 'sub' | 'pv' | 'msg' | 'dlv';

export const newId = (prefix: IdPrefix, now: number = Date.now()): string => `${prefix}_${next(now)}`;

/** A syntactic check only: `dk_` + 26 Crockford base32 chars. */
export const isId = (prefix: IdPrefix, value: unknown): value is string =>
  typeof value === 'string' && new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`).test(value);
