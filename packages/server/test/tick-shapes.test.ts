// The nextTick shape keeper (src/kernel/tick-shapes.ts) must capture real queue entries on the
// Node version we run on; if Node changes how it builds them, this says so instead of the
// benchmark silently losing 20 %.
import { describe, expect, it } from 'vitest';
import { keepTickShapesAlive, keptTickShapes } from '../src/kernel/tick-shapes.js';

describe('tick shapes', () => {
  it('keeps a nextTick entry with and without arguments, and leaves no hook enabled', async () => {
    const before = keptTickShapes().length;
    expect(keepTickShapesAlive()).toBe(2);
    const [plain, withArgs] = keptTickShapes().slice(before) as { callback: unknown; args: unknown }[];
    expect(typeof plain!.callback).toBe('function');
    expect(plain!.args).toBeUndefined();
    expect(withArgs!.args).toEqual([0]);
    // The hook is off again: later ticks are not captured.
    await new Promise((resolve) => process.nextTick(resolve));
    expect(keptTickShapes().length).toBe(before + 2);
  });
});
