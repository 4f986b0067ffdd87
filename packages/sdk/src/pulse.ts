// The heartbeat loop behind startPulse(): one pulse now, then one every interval (a timeout chain,
// never overlapping), and a final `terminating` pulse on stop() so Mission Control shows a
// deliberate shutdown rather than an agent that went silent.
import type { PulseResult } from './types.js';

export type PulseMeta = Record<string, string | number | boolean>;

export interface StartPulseOptions {
  /** Milliseconds between pulses (default 60 000, as the seeds recommend; the server marks an agent inactive after 5 minutes). */
  intervalMs?: number;
  /** Meta sent with each pulse, or a function called before each (e.g. for uptime). */
  meta?: PulseMeta | (() => PulseMeta);
  /** `active` (default) or `paused`. */
  status?: 'active' | 'paused';
  /** The agent's id, when an operator's credential pulses for one of its agents. */
  spaceduckId?: string;
  /** Called after every successful pulse. */
  onPulse?: (result: PulseResult) => void;
  /** Called when a pulse fails (after the client's own retries); the loop keeps going. */
  onError?: (error: unknown) => void;
}

export interface PulseBody { status: string; meta?: PulseMeta; spaceduck_id?: string }

export interface PulseHandle {
  /** The latest successful answer. */
  readonly last: PulseResult | undefined;
  /** Pulses sent successfully so far. */
  readonly count: number;
  /** Stops the loop and sends a `terminating` pulse; resolves with its answer. Safe to call twice. */
  stop(options?: { meta?: PulseMeta }): Promise<PulseResult>;
}

export function pulseLoop(send: (body: PulseBody) => Promise<PulseResult>, options: StartPulseOptions = {}): PulseHandle {
  const intervalMs = options.intervalMs ?? 60_000;
  if (!(intervalMs >= 1)) throw new RangeError('intervalMs must be a positive number of milliseconds');
  const body = (status: string, extra?: PulseMeta): PulseBody => {
    const meta = typeof options.meta === 'function' ? options.meta() : options.meta;
    const merged = extra ? { ...meta, ...extra } : meta;
    return { status, ...(merged ? { meta: merged } : {}), ...(options.spaceduckId ? { spaceduck_id: options.spaceduckId } : {}) };
  };

  let last: PulseResult | undefined;
  let count = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let stopping: Promise<PulseResult> | undefined;

  const beat = () => {
    inFlight = send(body(options.status ?? 'active')).then(
      (r) => { last = r; count++; options.onPulse?.(r); },
      (err) => { options.onError?.(err); },
    ).finally(() => { if (!stopping) timer = setTimeout(beat, intervalMs); });
  };
  beat();

  return {
    get last() { return last; },
    get count() { return count; },
    stop(o = {}) {
      stopping ??= (async () => {
        clearTimeout(timer);
        await inFlight;
        clearTimeout(timer);
        const r = await send(body('terminating', o.meta));
        last = r;
        count++;
        return r;
      })();
      return stopping;
    },
  };
}
