import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.ts';

/** A run function that records its batches and finishes each when told. */
function recorder() {
  const batches: number[][] = [];
  const finish: (() => void)[] = [];
  let running = 0;
  let maxRunning = 0;
  const run = async (items: number[]) => {
    batches.push(items);
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    await new Promise<void>((resolve) => finish.push(resolve));
    running -= 1;
    if (items.includes(-1)) throw new Error('boom');
    return items.map((n) => n * 10);
  };
  const releaseAll = () => {
    for (const done of finish.splice(0)) done();
  };
  return { run, batches, releaseAll, maxRunning: () => maxRunning };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('Batcher (group commit)', () => {
  it('starts a lone item at once instead of waiting for the window', async () => {
    const batcher = new Batcher(async (items: number[]) => items, {
      maxBatch: 10,
      windowMs: 10_000,
      maxInFlight: 1,
    });
    const started = performance.now();
    expect(await batcher.submit(7)).toBe(7);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('puts items of the same tick in one batch and gathers the next ones while it runs', async () => {
    const r = recorder();
    const batcher = new Batcher(r.run, { maxBatch: 100, windowMs: 1, maxInFlight: 1 });
    const first = [1, 2, 3].map((n) => batcher.submit(n));
    await tick();
    const second = [4, 5, 6, 7].map((n) => batcher.submit(n));
    await tick();
    expect(r.batches).toEqual([[1, 2, 3]]);
    r.releaseAll();
    await Promise.all(first);
    await tick();
    expect(r.batches).toEqual([
      [1, 2, 3],
      [4, 5, 6, 7],
    ]);
    r.releaseAll();
    expect(await Promise.all(second)).toEqual([40, 50, 60, 70]);
  });

  it('bounds batch size and batches in flight', async () => {
    const r = recorder();
    const batcher = new Batcher(r.run, { maxBatch: 3, windowMs: 1, maxInFlight: 2 });
    const all = Array.from({ length: 10 }, (_, i) => batcher.submit(i));
    for (let i = 0; i < 20 && r.batches.flat().length < 10; i++) {
      await tick();
      r.releaseAll();
    }
    expect(await Promise.all(all)).toEqual(Array.from({ length: 10 }, (_, i) => i * 10));
    expect(r.batches.every((b) => b.length <= 3)).toBe(true);
    expect(r.batches.flat()).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(r.maxRunning()).toBeLessThanOrEqual(2);
  });

  it('spreads a long queue over free slots when asked', async () => {
    const r = recorder();
    const batcher = new Batcher(r.run, { maxBatch: 100, windowMs: 1, maxInFlight: 4, spreadAbove: 4 });
    const all = Array.from({ length: 16 }, (_, i) => batcher.submit(i));
    await tick();
    expect(r.batches.map((b) => b.length)).toEqual([4, 4, 4, 4]);
    expect(r.maxRunning()).toBe(4);
    r.releaseAll();
    expect(await Promise.all(all)).toHaveLength(16);
  });

  it('fails every item of a batch whose run throws, and only those', async () => {
    const r = recorder();
    const batcher = new Batcher(r.run, { maxBatch: 2, windowMs: 1, maxInFlight: 1 });
    const outcome = (n: number) =>
      batcher.submit(n).then(
        (value) => value,
        (error: Error) => error.message,
      );
    const [a, b, c] = [outcome(1), outcome(-1), outcome(3)];
    for (let i = 0; i < 10 && r.batches.length < 2; i++) {
      await tick();
      r.releaseAll();
    }
    r.releaseAll();
    expect(await Promise.all([a, b, c])).toEqual(['boom', 'boom', 30]);
  });

  it('finishes running batches on close and refuses new items', async () => {
    const r = recorder();
    const batcher = new Batcher(r.run, { maxBatch: 10, windowMs: 1, maxInFlight: 1 });
    const pending = batcher.submit(1);
    await tick();
    const closed = batcher.close();
    await expect(batcher.submit(2)).rejects.toThrow('closed');
    r.releaseAll();
    await closed;
    expect(await pending).toBe(10);
  });
});
