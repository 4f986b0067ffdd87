// Emails and display names: the rules of CONTRACT §2 in one place.
import { errors } from '../kernel/errors.js';

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const DISPLAY_NAME = /^[\p{L}\p{N} _-]{3,32}$/u;

/** Trim + NFC, then the charset rule: letters, digits, space, `_`, `-`; 3–32 characters. */
export function cleanDisplayName(raw: string, field = 'display_name'): string {
  const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (!DISPLAY_NAME.test(name)) {
    throw errors.validation(`${field} must be 3–32 letters, digits, spaces, "_" or "-"`, [{ field: `body.${field}`, message: 'must be 3–32 letters, digits, spaces, "_" or "-"' }]);
  }
  return name;
}

export const nameKey = (name: string): string => name.normalize('NFC').toLowerCase();

/** A display name derived from the email's local part, before uniqueness suffixes. */
export function nameFromEmail(email: string): string {
  let base = email.split('@')[0]!.normalize('NFC').replace(/[^\p{L}\p{N}_-]+/gu, '').slice(0, 26);
  if (base.length < 3) base = `duck${base}`;
  return base;
}
