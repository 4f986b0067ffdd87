// The webhook event catalogue of CONTRACT §8: canonical names, the aliases subscriptions may
// use, and sample payloads for the tester.
import { errors, type FieldError } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';

export const WEBHOOK_EVENTS = [
  'duckling.hatched', 'duckling.verified',
  'agent.registered', 'agent.bonded', 'agent.deregistered', 'agent.inactive',
  'peck.sent', 'peck.received', 'peck.approved', 'peck.rejected', 'peck.expired',
  'bond.created', 'bond.removed',
  'cert.issued', 'cert.revoked',
  'trust.elevated', 'key.rotated',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

const CANONICAL = new Set<string>(WEBHOOK_EVENTS);

export const EVENT_ALIASES: Readonly<Record<string, WebhookEventType>> = {
  hatch: 'duckling.hatched', peck: 'peck.sent', cert_issued: 'cert.issued', tier_change: 'trust.elevated',
};

export const isWebhookEvent = (type: string): type is WebhookEventType => CANONICAL.has(type);

/** Canonical name of a type or alias (case-insensitive), or undefined when unknown. */
export function canonicalEvent(name: string): WebhookEventType | undefined {
  const n = name.trim().toLowerCase();
  if (CANONICAL.has(n)) return n as WebhookEventType;
  return EVENT_ALIASES[n];
}

/** Normalises a subscription: canonical names, de-duplicated, in catalogue order; `*` alone wins. */
export function normalizeFilter(names: string[], field = 'body.events'): string[] {
  const bad: FieldError[] = [];
  const unknown: string[] = [];
  const picked = new Set<string>();
  names.forEach((name, i) => {
    if (name.trim() === '*') { picked.add('*'); return; }
    const c = canonicalEvent(name);
    if (c) { picked.add(c); return; }
    unknown.push(JSON.stringify(name.slice(0, 64)));
    bad.push({ field: `${field}.${i}`, message: 'is not a known event type' });
  });
  if (bad.length) {
    throw errors.validation(`Unknown event type ${unknown.join(', ')}; known: ${WEBHOOK_EVENTS.join(', ')}, or "*" for all`, bad);
  }
  if (picked.has('*')) return ['*'];
  return WEBHOOK_EVENTS.filter((e) => picked.has(e));
}

export const filterMatches = (filter: string[], type: string): boolean => filter.includes('*') || filter.includes(type);

/** Plausible data for the tester, marked `test: true` so receivers can tell it apart. */
export function sampleData(type: WebhookEventType, ducklingId: string, now: number): Record<string, unknown> {
  const agent = newId('sd', now), other = newId('sd', now), peck = newId('peck', now), conn = newId('conn', now);
  const at = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const byType: Record<WebhookEventType, Record<string, unknown>> = {
    'duckling.hatched': { duckling_id: ducklingId, display_name: 'Sample Duckling', trust_tier: 'T0' },
    'duckling.verified': { duckling_id: ducklingId, trust_tier: 'T1', cert_id: newId('cert', now) },
    'agent.registered': { agent_id: agent, spaceduck_id: agent, agent_name: 'Sample Duck', duckling_id: ducklingId },
    'agent.bonded': { agent_id: agent, spaceduck_id: agent, peer_id: other, connection_id: conn },
    'agent.deregistered': { agent_id: agent, spaceduck_id: agent, duckling_id: ducklingId },
    'agent.inactive': { agent_id: agent, spaceduck_id: agent, last_pulse_at: at },
    'peck.sent': { peck_id: peck, requester_id: agent, target_id: other, expires_at: at },
    'peck.received': { peck_id: peck, requester_id: other, target_id: agent, expires_at: at },
    'peck.approved': { peck_id: peck, requester_id: agent, target_id: other, connection_id: conn },
    'peck.rejected': { peck_id: peck, requester_id: agent, target_id: other },
    'peck.expired': { peck_id: peck, requester_id: agent, target_id: other },
    'bond.created': { connection_id: conn, a: agent, b: other },
    'bond.removed': { connection_id: conn, a: agent, b: other },
    'cert.issued': { cert_id: newId('cert', now), duckling_id: ducklingId, trust_tier: 'T1', issued_at: at },
    'cert.revoked': { cert_id: newId('cert', now), duckling_id: ducklingId, reason: 'sample' },
    'trust.elevated': { duckling_id: ducklingId, from: 'T1', to: 'T2' },
    'key.rotated': { key_id: newId('key', now), owner_id: agent, preview: 'bk_Samp…le00' },
  };
  return { ...byType[type], test: true };
}
