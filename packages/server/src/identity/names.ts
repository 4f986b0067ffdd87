// Emails and display names: the rules of CONTRACT §2 in one place.
import { errors } from '../kernel/errors.js';

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/**
 * Letters and digits of any script (each may carry up to two combining marks, which scripts such
 * as Devanagari need, while "zalgo" stacks are refused), spaces, `_` and `-`; at least one letter
 * or digit.
 */
export const DISPLAY_NAME = /^(?=.*[\p{L}\p{N}])(?:[\p{L}\p{N}]\p{M}{0,2}|[ _-])+$/u;
const RULE = 'must be 3–32 letters, digits, spaces, "_" or "-"';

/** Trim + NFC, then the charset rule; 3–32 characters (code points). */
export function cleanDisplayName(raw: string, field = 'display_name'): string {
  const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  const length = [...name].length;
  if (length < 3 || length > 32 || !DISPLAY_NAME.test(name)) {
    throw errors.validation(`${field} ${RULE}`, [{ field: `body.${field}`, message: RULE }]);
  }
  return name;
}

/**
 * The uniqueness key: compatibility-folded (NFKC: full-width and other look-alike forms of the
 * same letter collapse) and lower-cased, so "Duck", "duck" and "Ｄｕｃｋ" are one name.
 */
export const nameKey = (name: string): string => name.normalize('NFKC').toLowerCase();

/** A display name derived from the email's local part, before uniqueness suffixes. */
export function nameFromEmail(email: string): string {
  let base = [...email.split('@')[0]!.normalize('NFC').replace(/[^\p{L}\p{N}_-]+/gu, '')].slice(0, 26).join('');
  if ([...base].length < 3 || !/[\p{L}\p{N}]/u.test(base)) base = `duck${base}`;
  return base;
}
