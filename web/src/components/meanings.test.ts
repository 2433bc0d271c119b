import { describe, expect, it } from 'vitest';
import { labelStep, meanings } from './meanings.ts';

describe('chart labels and colours', () => {
  it('thins the axis labels so they never collide', () => {
    // 13 month labels like "Mar 2030" on a 300-pixel phone plot: every 4th label.
    expect(labelStep(13, 8, 300)).toBe(4);
    // The same on a 1,100-pixel desktop plot: all of them.
    expect(labelStep(13, 8, 1100)).toBe(1);
    expect(labelStep(30, 6, 300)).toBeGreaterThan(3);
  });

  it('gives each meaning one colour everywhere', () => {
    expect(meanings.expiring.color).toBe(meanings.expired.color);
    const colours = [meanings.issued, meanings.spent, meanings.expired, meanings.purchases, meanings.plus];
    expect(new Set(colours.map((m) => m.color)).size).toBe(colours.length);
  });
});
