// Beak Key material: `bk_` + 48 base62 characters from a CSPRNG (≈ 285 bits). Only the SHA-256
// is stored: a key this long cannot be brute-forced, so a slow hash would only cost latency.
import { randomBase62, sha256hex } from '../kernel/crypto.js';

export const BEAK_KEY = /^bk_[A-Za-z0-9]{40,128}$/;

export const generateBeakKey = (): string => `bk_${randomBase62(48)}`;
export const hashBeakKey = (key: string): string => sha256hex(key);
export const previewOf = (key: string): string => `${key.slice(0, 7)}…${key.slice(-4)}`;
