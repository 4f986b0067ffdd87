// What clients see of pecks and bonds. Status is derived at read time, so a pending peck past
// its expiry already reads `expired` before the sweeper gets to it.
import { iso } from '../kernel/clock.js';
import type { ConnectionRow, PeckRow } from './schema.js';
import type { ConnectionWithNames, Viewer } from './store.js';

export const statusAt = (p: Pick<PeckRow, 'status' | 'expires_at'>, now: number): string =>
  p.status === 'pending' && p.expires_at <= now ? 'expired' : p.status;

const ownsSide = (v: Viewer, id: string, ducklingId: string): boolean =>
  v.kind === 'agent' ? v.id === id : v.ducklingId === ducklingId;

export function peckView(p: PeckRow, v: Viewer, now: number) {
  return {
    peck_id: p.id,
    direction: ownsSide(v, p.requester_id, p.requester_duckling_id) ? 'sent' as const : 'received' as const,
    requester_id: p.requester_id, requester_type: p.requester_type, requester_duckling_id: p.requester_duckling_id,
    target_id: p.target_id, target_type: p.target_type, target_duckling_id: p.target_duckling_id, target_email: p.target_email,
    purpose: p.purpose, action: p.action, scope: p.scope,
    payload: p.payload === null ? null : (JSON.parse(p.payload) as Record<string, unknown>),
    status: statusAt(p, now),
    created_at: iso(p.created_at)!, expires_at: iso(p.expires_at)!, decided_at: iso(p.decided_at),
    reason: p.reason, connection_id: p.connection_id,
  };
}

export function connectionView(c: ConnectionWithNames, v: Viewer) {
  const mineIsRequester = ownsSide(v, c.requester_id, c.requester_duckling_id);
  return {
    connection_id: c.id,
    own_id: mineIsRequester ? c.requester_id : c.target_id,
    peer_id: mineIsRequester ? c.target_id : c.requester_id,
    peer_type: mineIsRequester ? c.target_type : c.requester_type,
    peer_duckling_id: mineIsRequester ? c.target_duckling_id : c.requester_duckling_id,
    peer_display_name: mineIsRequester ? c.target_name : c.requester_name,
    peer_trust_tier: mineIsRequester ? c.target_tier : c.requester_tier,
    scope: c.scope, peck_id: c.peck_id, bonded_at: iso(c.bonded_at)!,
  };
}

/** Event data for a bond: ids only, identical on both sides. */
export const bondData = (c: ConnectionRow) => ({
  connection_id: c.id, peck_id: c.peck_id, requester_id: c.requester_id, requester_type: c.requester_type,
  target_id: c.target_id, target_type: c.target_type, scope: c.scope, bonded_at: iso(c.bonded_at),
});
