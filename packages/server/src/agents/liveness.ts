// Liveness (CONTRACT §4) and the pulse body rules, as pure functions of stored columns.
import type { FieldError } from '../kernel/errors.js';

/** No pulse for this long and an active (or paused) identity is inactive. */
export const LIVENESS_WINDOW_MS = 5 * 60_000;

export type Liveness = 'active' | 'paused' | 'terminated' | 'inactive' | 'never';
export type PulseStatus = 'active' | 'paused' | 'terminating';

export const PULSE_STATUSES: readonly PulseStatus[] = ['active', 'paused', 'terminating'];
export const META_MAX_KEYS = 32;
export const META_MAX_KEY_LENGTH = 64;
export const META_MAX_VALUE_LENGTH = 256;

const AFTER_PULSE: Record<PulseStatus, Liveness> = { active: 'active', paused: 'paused', terminating: 'terminated' };

export const livenessAfterPulse = (status: PulseStatus): Liveness => AFTER_PULSE[status];

/**
 * Computed on every read from the last pulse, so it is exact whether or not the sweeper has run
 * yet: the sweeper only announces transitions (agent.inactive), it does not define them.
 * A `terminating` pulse is a clean shutdown and stays `terminated`; paused agents are expected
 * to keep pulsing and go inactive like active ones.
 */
export function livenessOf(r: { status?: string; last_seen: number | null; last_status: string | null }, now: number): Liveness {
  if (r.status === 'deregistered') return 'terminated';
  if (r.last_seen == null) return 'never';
  if (r.last_status === 'terminating') return 'terminated';
  if (now - r.last_seen >= LIVENESS_WINDOW_MS) return 'inactive';
  return r.last_status === 'paused' ? 'paused' : 'active';
}

/** `active` | `paused` | `terminating`, case-insensitive; absent means active. */
export function parseStatus(raw: string | undefined): PulseStatus | FieldError {
  const s = (raw ?? 'active').trim().toLowerCase();
  return (PULSE_STATUSES as readonly string[]).includes(s)
    ? (s as PulseStatus)
    : { field: 'body.status', message: `must be one of ${PULSE_STATUSES.join(', ')}` };
}

/** A flat object of ≤ 32 keys whose values are strings, numbers or booleans of ≤ 256 characters. */
export function metaErrors(meta: unknown): FieldError[] {
  if (meta === undefined) return [];
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return [{ field: 'body.meta', message: 'must be a flat object' }];
  const entries = Object.entries(meta as Record<string, unknown>);
  const out: FieldError[] = [];
  if (entries.length > META_MAX_KEYS) out.push({ field: 'body.meta', message: `must have at most ${META_MAX_KEYS} keys` });
  for (const [k, v] of entries) {
    const field = `body.meta.${k.slice(0, META_MAX_KEY_LENGTH)}`;
    if (!k.length || k.length > META_MAX_KEY_LENGTH) out.push({ field, message: `keys must be 1–${META_MAX_KEY_LENGTH} characters` });
    if (typeof v === 'string') {
      if (v.length > META_MAX_VALUE_LENGTH) out.push({ field, message: `must be at most ${META_MAX_VALUE_LENGTH} characters` });
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) out.push({ field, message: 'must be a finite number' });
    } else if (typeof v !== 'boolean') {
      out.push({ field, message: 'must be a string, number or boolean (meta is flat: no objects, arrays or null)' });
    }
    if (out.length >= 10) break;
  }
  return out;
}
