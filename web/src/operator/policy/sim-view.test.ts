import { describe, expect, it } from 'vitest';
import { readSimulation } from '../../api/policy-api.ts';
import { emptyCounters, monthReport } from '../../../../src/sim/metrics.ts';
import {
  differenceRows,
  formatDifference,
  formatTick,
  judge,
  metricByKey,
  metrics,
  monthLabels,
  type SimulationResultView,
} from './sim-view.ts';

const month = (i: number, values: Partial<ReturnType<typeof emptyCounters>>) =>
  monthReport({ ...emptyCounters(), ...values }, new Map([[0, 1]]), i, Date.UTC(2030, 11 + i, 1) as never);

const result: SimulationResultView = {
  seed: 1,
  months: 3,
  start: '2030-12-01T00:00:00.000Z',
  end: '2031-03-01T00:00:00.000Z',
  population: { kind: 'synthetic', freelancers: 10 },
  baseline: [0, 1, 2].map((i) =>
    month(i, { issuedAllotment: 100, purchaseRevenueCents: 500, outstanding: 50 + i, proposalsBlocked: 4 }),
  ),
  candidate: [0, 1, 2].map((i) =>
    month(i, {
      issuedAllotment: 120,
      purchaseRevenueCents: 450,
      outstanding: 60 + 2 * i,
      proposalsBlocked: 1,
    }),
  ),
  difference: [],
  events: 0,
};

describe('the simulation comparison', () => {
  it('labels months with the year on the first and every January', () => {
    expect(monthLabels(result)).toEqual(['Dec 2030', 'Jan 2031', 'Feb']);
  });

  it('sums flows over the months and takes stocks at the end', () => {
    const shown = ['issued', 'purchaseRevenue', 'outstanding', 'blocked'].map(metricByKey);
    const { months, total } = differenceRows(result, shown);
    expect(months.map((r) => r.values)).toEqual([
      [20, -50, 10, -3],
      [20, -50, 11, -3],
      [20, -50, 12, -3],
    ]);
    expect(total.values).toEqual([60, -150, 12, -9]);
  });

  it('writes every difference with its sign and judges it', () => {
    expect(formatDifference('USD', -150)).toBe('−$1.50');
    expect(formatDifference('Connects', 1200)).toBe('+1,200');
    expect(formatDifference('Connects', 0)).toBe('0');
    expect(judge(metricByKey('purchaseRevenue'), -150)).toBe('worse');
    expect(judge(metricByKey('blocked'), -9)).toBe('better');
    expect(judge(metricByKey('issued'), 60)).toBe('up');
    expect(formatTick('USD', 1_234_500)).toBe('$12k');
    expect(formatTick('Connects', 950)).toBe('950');
    expect(new Set(metrics.map((m) => m.key)).size).toBe(metrics.length);
  });

  it('reads a stored simulation as the API answers it', () => {
    const running = readSimulation({ id: 'sim_1', status: 'running', progress: { done: 150, total: 600 } });
    expect(running).toMatchObject({ id: 'sim_1', status: 'running', progress: 0.25, result: null });
    expect(readSimulation({ id: 'sim_1', status: 'succeeded', progress: { done: 6, total: 6 } }).status).toBe(
      'done',
    );
    expect(readSimulation({ id: 'sim_2', status: 'failed', error: 'boom' })).toMatchObject({ error: 'boom' });
  });
});
