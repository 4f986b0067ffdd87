// Who is calling: a duckling (operator) or one of its agents, and how it proved it.

export type Tier = 'T0' | 'T1' | 'T2' | 'T3';
export const TIERS: Tier[] = ['T0', 'T1', 'T2', 'T3'];
export const tierAtLeast = (tier: string, min: Tier): boolean => TIERS.indexOf(tier as Tier) >= TIERS.indexOf(min);

export interface Principal {
  kind: 'duckling' | 'agent';
  /** `dk_…` or `sd_…` */
  id: string;
  ducklingId: string;
  /** The operator's tier; an agent acts with it. */
  tier: Tier;
  via: 'session' | 'beak_key';
  sessionId?: string;
  keyId?: string;
}
