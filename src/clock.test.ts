import { describe, expect, it } from 'vitest';
import { isManualClock, ManualClock, SystemClock } from './clock.ts';

const T0 = Date.UTC(2024, 2, 10, 12);

describe('ManualClock', () => {
  it('stands still until set, then moves forward only', () => {
    const clock = new ManualClock(T0);
    expect(clock.now()).toBe(T0);
    expect(clock.set(T0 + 1000)).toEqual({ ok: true, value: T0 + 1000 });
    expect(clock.now()).toBe(T0 + 1000);
  });

  it('accepts the current time again', () => {
    const clock = new ManualClock(T0);
    expect(clock.set(T0).ok).toBe(true);
  });

  it('refuses to go back with clock_backwards and keeps its time', () => {
    const clock = new ManualClock(T0);
    const result = clock.set(T0 - 1);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('clock_backwards');
      expect(result.error.details).toEqual({
        now: '2024-03-10T12:00:00.000Z',
        requested: '2024-03-10T11:59:59.999Z',
      });
    }
    expect(clock.now()).toBe(T0);
  });

  it('refuses non-integer instants', () => {
    const clock = new ManualClock(T0);
    expect(clock.set(T0 + 0.5).ok).toBe(false);
    expect(clock.advance(Number.NaN).ok).toBe(false);
    expect(() => new ManualClock(1.5)).toThrow(TypeError);
  });

  it('advances by a duration', () => {
    const clock = new ManualClock(T0);
    clock.advance(60_000);
    expect(clock.now()).toBe(T0 + 60_000);
  });
});

describe('SystemClock', () => {
  it('reads the real time as integer milliseconds', () => {
    const before = Date.now();
    const now = new SystemClock().now();
    expect(Number.isSafeInteger(now)).toBe(true);
    expect(now).toBeGreaterThanOrEqual(before);
    expect(isManualClock(new SystemClock())).toBe(false);
    expect(isManualClock(new ManualClock(T0))).toBe(true);
  });
});
