// Keeps one of Node's `process.nextTick` queue entries alive for the life of the process.
//
// Why: every request goes through `process.nextTick` about ten times (streams, the HTTP parser,
// Fastify), and each call builds a small object `{ [async_id], [trigger_async_id], callback,
// args }`. V8 remembers the hidden classes ("maps") of that object in the inline caches of
// `nextTick`, but holds them weakly, and the objects themselves live for a microsecond. If a full
// garbage collection runs between two ticks after those caches have settled — likely in a server
// whose start-up allocates as much as ours — the maps are collected, the caches go megamorphic
// and never come back: every tick then takes V8's slow runtime path. We measured it on Node 20
// (bench/platform.mjs, docs/benchmarks.md): most server processes fell into that state at
// random, and paid 3–4 µs more per request (+25 % CPU on GET /beak/), even for a bare Fastify
// route served from the same process. One retained entry keeps its map, and through its back
// pointers the whole chain, alive; the caches stay monomorphic.
//
// The entry is taken with a public API (an async hook enabled for two synchronous calls). It is
// an optimisation only: if a Node version names or builds the object differently, nothing is
// captured and nothing else changes.
import { createHook } from 'node:async_hooks';

const kept: object[] = [];

/** Captures the current shape of a tick entry (with and without arguments) and keeps it. */
export function keepTickShapesAlive(): number {
  const captured: object[] = [];
  const hook = createHook({
    init(_id, type, _trigger, resource) { if (type === 'TickObject') captured.push(resource); },
  });
  hook.enable();
  try {
    process.nextTick(noop);
    process.nextTick(noop, 0);
  } finally {
    hook.disable();
  }
  kept.push(...captured);
  return captured.length;
}

/** What has been kept so far (for tests). */
export const keptTickShapes = (): readonly object[] => kept;

function noop(): void {}
