// Time as a dependency, so tests can move it (liveness, expiry, rate-limit windows).
export interface Clock { now(): number }

export const systemClock: Clock = { now: () => Date.now() };

export class ManualClock implements Clock {
  constructor(private t = Date.now()) {}
  now() { return this.t; }
  advance(ms: number) { this.t += ms; }
  set(t: number) { this.t = t; }
}

/** ISO-8601 UTC in whole seconds (CONTRACT §1.6), the last one remembered: pulses format "now" thousands of times a second. */
export const iso = (ms: number | null | undefined): string | null => {
  if (ms == null) return null;
  const second = Math.floor(Number(ms) / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace(/\.000Z$/, 'Z');
    lastSecond = second;
  }
  return lastText;
};
let lastSecond = NaN;
let lastText = '';
