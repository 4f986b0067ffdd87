// Opaque keyset cursors: the last row's sort key, base64url-encoded. Never an OFFSET.
import { errors } from './errors.js';

export const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || !/^[\w.:|@-]{1,200}$/.test(key)) throw errors.validation('Invalid cursor', [{ field: 'querystring.cursor', message: 'is not a cursor this server issued' }]);
  return key;
}

export const clampLimit = (limit: number | undefined, def = 20, max = 100): number => Math.min(Math.max(limit ?? def, 1), max);

/** Given limit+1 rows, returns the page and the cursor of its last row when more exist. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => string): { items: T[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, next_cursor: rows.length > limit ? encodeCursor(keyOf(items[items.length - 1]!)) : null };
}
