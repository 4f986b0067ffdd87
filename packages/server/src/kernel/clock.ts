// Time as a dependency, so tests can move it (liveness, expiry, rate-limit windows).
export interface Clock { now(): number }

export const systemClock: Clock = { now: () => Date.now() };

export class ManualClock implements Clock {
  constructor(private t = Date.now()) {}
  now() { return this.t; }
  advance(ms: number) { this.t += ms; }
  set(t: number) { this.t = t; }
}

export const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(Number(ms)).toISOString().replace(/\.\d{3}Z$/, 'Z'));
