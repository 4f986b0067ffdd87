// Byte helpers that work the same in browsers and Node (no Buffer in the core entry).

export const utf8 = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>;

export function base64Decode(s: string): Uint8Array<ArrayBuffer> {
  const normal = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(normal + '='.repeat((4 - (normal.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function base64Encode(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]!);
  return btoa(bin);
}

export const base64UrlJson = (part: string): unknown => JSON.parse(new TextDecoder().decode(base64Decode(part)));

/** A random hex id (crypto.randomUUID is missing on plain-http pages; getRandomValues is not). */
export function randomId(bytes = 16): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Constant-time comparison of two strings of public length. */
export function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
