import { describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import { failureBackoffMs, MAX_FAILURE_BACKOFF_MS, WebhookDispatcher } from './dispatcher.ts';

describe('webhook dispatcher during a store outage', () => {
  it('backs off while every round fails, instead of failing every poll interval', async () => {
    const store = await openStore({ dataDir: 'memory://' });
    await store.close(); // every query now fails, as during an outage
    const failures: number[] = [];
    const dispatcher = new WebhookDispatcher(store, {
      clock: () => 0,
      pollIntervalMs: 20,
      onError: () => failures.push(performance.now()),
    });
    dispatcher.start();
    await new Promise((resolve) => setTimeout(resolve, 700));
    await dispatcher.stop();
    // Without back-off: about 35 failed rounds in 700 ms. With it: 20, 40, 80, 160, 320 ms apart.
    expect(failures.length).toBeGreaterThanOrEqual(3);
    expect(failures.length).toBeLessThanOrEqual(7);
  });

  it('doubles the pause per failure up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => failureBackoffMs(1000, n))).toEqual([1000, 2000, 4000, 8000]);
    expect(failureBackoffMs(1000, 6)).toBe(MAX_FAILURE_BACKOFF_MS);
    expect(failureBackoffMs(1000, 10_000)).toBe(MAX_FAILURE_BACKOFF_MS);
  });
});
