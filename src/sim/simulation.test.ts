import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../core/policy/eras.ts';
import { defaultTimeline } from '../core/policy/timeline.ts';
import { candidateTimeline } from './candidate.ts';
import type { PriceChange } from '../app/badge/badge-price.ts';
import { percentile } from './metrics.ts';
import { Random } from './random.ts';
import { parseSimulationInput, prepareSimulation, resultCsv, runSimulation } from './simulation.ts';

const now = Date.parse('2026-12-05T10:00:00Z');
const dearer = {
  ...defaultPolicy,
  id: 'dearer',
  name: 'Hourly jobs cost 12',
  effectiveFrom: '2027-02-01T00:00:00.000Z',
  rateCard: { ...defaultPolicy.rateCard, hourly: 12 },
};

async function simulate(
  candidate: unknown,
  freelancers: number,
  workers = 0,
  badgePrices: readonly PriceChange[] = [],
) {
  const request = parseSimulationInput({
    candidate,
    months: 3,
    seed: 3,
    population: { params: { freelancers } },
  });
  if (!request.ok) throw new Error(request.error.message);
  const prepared = prepareSimulation(request.value, { baseline: defaultTimeline, now, badgePrices });
  if (!prepared.ok) throw new Error(prepared.error.message);
  const result = await runSimulation(prepared.value, { workers });
  if (result === null) throw new Error('cancelled');
  return result;
}

describe('the simulator', () => {
  it(
    'starts on the first of next month and is deterministic, whatever the threads',
    { timeout: 60_000 },
    async () => {
      const a = await simulate(dearer, 400);
      expect(a.start).toBe('2027-01-01T00:00:00.000Z');
      expect(a.end).toBe('2027-04-01T00:00:00.000Z');
      expect(JSON.stringify(await simulate(dearer, 400))).toBe(JSON.stringify(a));
      expect(JSON.stringify(await simulate(dearer, 400, 2))).toBe(JSON.stringify(a));
    },
  );

  it('sees no difference when the candidate changes nothing (common random numbers)', async () => {
    const same = { ...defaultPolicy, id: 'same', name: 'Same', effectiveFrom: '2027-01-01T00:00:00.000Z' };
    const result = await simulate(same, 300);
    expect(result.candidate).toEqual(result.baseline);
    for (const month of result.difference) expect(month.harm.proposalsBlocked).toBe(0);
  });

  it('takes effect from the candidate date: dearer hourly jobs from month 2', async () => {
    const result = await simulate(dearer, 300);
    expect(result.difference[0]?.spent.proposals).toBe(0);
    expect(result.difference[1]?.spent.proposals).toBeGreaterThan(0);
    expect(result.difference[1]?.harm.proposalsBlocked).toBeGreaterThan(0);
    const lines = resultCsv(result).trim().split('\n');
    expect(lines).toHaveLength(1 + 3 * 3);
    expect(lines[1]).toMatch(/^baseline,1,2027-01-01T00:00:00.000Z,/);
  });

  it('charges the availability badge at the policy price, unless the operator set one', async () => {
    const free = {
      ...defaultPolicy,
      id: 'free-badge',
      name: 'Free badge',
      effectiveFrom: '2027-02-01T00:00:00.000Z',
    };
    const candidate = { ...free, availabilityBadge: { weeklyPriceConnects: 0 } };
    const byPolicy = await simulate(candidate, 400);
    const badge = (months: readonly { spent: { badge: number } }[]) => months.map((m) => m.spent.badge);
    expect(badge(byPolicy.baseline).every((n) => n > 0)).toBe(true);
    // Free from month 2 under the candidate (its first tick charges only what was due before), so the
    // Connects stay with the freelancers.
    expect(badge(byPolicy.candidate)[1]).toBeLessThan(badge(byPolicy.baseline)[1] as number);
    expect(badge(byPolicy.candidate)[2]).toBe(0);
    expect(byPolicy.difference[2]?.outstanding).toBeGreaterThan(0);
    // A price the operator set overrides both timelines, as it does in the service.
    const byOperator = await simulate(candidate, 400, 0, [{ at: 0, weeklyPriceConnects: 2 }]);
    expect(badge(byOperator.candidate)).toEqual(badge(byOperator.baseline));
    expect(badge(byOperator.baseline).every((n) => n > 0)).toBe(true);
    expect(badge(byOperator.baseline)[1]).toBeLessThan(badge(byPolicy.baseline)[1] as number);
  });

  it('reports candidate problems with field paths', () => {
    const bad = candidateTimeline(defaultTimeline, [
      dearer,
      { ...dearer, id: 'x', rateCard: { hourly: -1 } },
    ]);
    expect(bad.ok).toBe(false);
    const issues = (bad.ok ? [] : (bad.error.details?.['issues'] as { path: string }[])).map((i) => i.path);
    expect(issues).toContain('candidate.1.rateCard.hourly');
    expect(candidateTimeline(defaultTimeline, []).ok).toBe(false);
  });
});

describe('the pieces', () => {
  it('draws the same numbers for the same seed and stream, others for another', () => {
    const draws = (seed: number, stream: number) => {
      const r = new Random(seed, stream);
      return Array.from({ length: 5 }, () => r.nextUint32());
    };
    expect(draws(1, 7)).toEqual(draws(1, 7));
    expect(draws(1, 7)).not.toEqual(draws(1, 8));
    expect(draws(1, 7)).not.toEqual(draws(2, 7));
  });

  it('takes nearest-rank percentiles of a histogram', () => {
    const histogram = new Map([
      [0, 5],
      [10, 4],
      [100, 1],
    ]);
    expect(percentile(histogram, 0.5)).toBe(0);
    expect(percentile(histogram, 0.9)).toBe(10);
    expect(percentile(histogram, 1)).toBe(100);
    expect(percentile(new Map(), 0.5)).toBe(0);
  });
});
