// The W3C Bitstring Status List encoding: one bit per slot, most significant bit first
// (slot i is bit 7 - (i % 8) of byte i / 8), GZIP-compressed, base64url without padding and
// prefixed with the multibase marker `u`.
import zlib from 'node:zlib';

/** Minimum list length (bits) the Bitstring Status List spec recommends for herd privacy. */
export const MIN_LIST_BITS = 131_072;

/**
 * The list length that covers slot `maxIndex`: the minimum, doubled as often as needed. Every
 * node derives the same length from the same data, so verifiers never see it shrink.
 */
export function listLength(maxIndex: number): number {
  let n = MIN_LIST_BITS;
  while (maxIndex >= n) n *= 2;
  return n;
}

export function encodeList(lengthBits: number, setBits: Iterable<number>): string {
  const bytes = Buffer.alloc(lengthBits / 8);
  for (const i of setBits) bytes[i >> 3]! |= 0x80 >> (i & 7);
  return `u${zlib.gzipSync(bytes).toString('base64url')}`;
}

export function decodeList(encoded: string): Buffer {
  return zlib.gunzipSync(Buffer.from(encoded.replace(/^u/, ''), 'base64url'));
}

export const bitAt = (bits: Buffer, i: number): number => ((bits[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;
