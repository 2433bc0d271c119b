import { describe, expect, it } from 'vitest';
import { parseInstant, toIso } from './time.ts';

describe('parseInstant', () => {
  it('reads dates as midnight UTC and date-times with an explicit zone', () => {
    expect(parseInstant('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseInstant('2026-03-10T12:00:00Z')).toBe(Date.UTC(2026, 2, 10, 12));
    expect(parseInstant('2026-03-10T12:00:00.250+02:00')).toBe(Date.UTC(2026, 2, 10, 10, 0, 0, 250));
    expect(toIso(parseInstant('2026-01-31T10:00Z') ?? 0)).toBe('2026-01-31T10:00:00.000Z');
  });

  it('refuses local times, impossible dates and other text', () => {
    for (const text of [
      '2026-03-10T12:00:00',
      '2024-02-30',
      '2025-02-29',
      '2026-13-01',
      'tomorrow',
      '',
      '1e12',
    ]) {
      expect(parseInstant(text)).toBeUndefined();
    }
  });
});
