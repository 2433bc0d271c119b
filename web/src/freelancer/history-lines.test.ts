import { describe, expect, it } from 'vitest';
import type { Entry, Lot } from '../api/types.ts';
import { describeEntry, historyLines, signed } from './history-lines.ts';

let seq = 0;
const entry = (over: Partial<Entry> & Pick<Entry, 'type' | 'amount'>, b = [0, 0], a = b): Entry => ({
  seq: ++seq,
  postings: [],
  balanceBefore: b[0] ?? 0,
  balanceAfter: b[1] ?? 0,
  availableBefore: a[0] ?? 0,
  availableAfter: a[1] ?? 0,
  effectiveAt: '2030-03-10T12:00:00.000Z',
  recordedAt: '2030-03-10T12:00:00.000Z',
  ref: null,
  reason: null,
  jobId: null,
  actor: null,
  ...over,
});
const lot = (source: Lot['source'], issuedAt: string): Lot => ({
  lotNo: 1,
  source,
  category: 'free',
  amount: 40,
  remaining: 0,
  issuedAt,
  expiresAt: '2031-01-10T00:00:00.000Z',
  ref: null,
});

describe('history lines', () => {
  it('say what each entry was for, naming the job', () => {
    // Any proposal id: the history route names the job (jobId).
    const about = { ref: 'proposal:prop_337bba29', jobId: 'job-101' };
    expect(describeEntry(entry({ type: 'debit', amount: 6, reason: 'proposal', ...about }))).toBe(
      'Applied to job-101',
    );
    expect(describeEntry(entry({ type: 'hold_release', amount: 5, ...about }))).toBe(
      'Boost on job-101 released',
    );
    expect(describeEntry(entry({ type: 'refund', amount: 6, reason: 'job_cancelled', ...about }))).toBe(
      'Refund: job-101 was cancelled',
    );
    expect(describeEntry(entry({ type: 'grant', amount: 10, reason: 'plan:basic', ref: 'cycle:0' }))).toBe(
      'Monthly allotment, Freelancer Basic',
    );
    expect(
      describeEntry(
        entry({ type: 'adjustment', amount: 20, ref: 'purchase:pur-1', reason: 'chargeback' }, [70, 50]),
      ),
    ).toBe('Purchase refunded: unspent Connects removed');
    expect(describeEntry(entry({ type: 'adjustment', amount: 15, reason: 'Outage' }, [50, 65]))).toBe(
      'Added by the marketplace: Outage',
    );
    expect(
      describeEntry(
        entry(
          {
            type: 'adjustment',
            amount: 0,
            reason: 'Goodwill',
            lot: { ...lot('promo', '2030-01-10T00:00:00.000Z'), expiresAt: '2031-07-10T00:00:00.000Z' },
          },
          [50, 50],
        ),
      ),
    ).toBe('Expiry extended to Jul 10, 2031 (promo code from Jan 10, 2030): Goodwill');
    expect(describeEntry(entry({ type: 'grant', amount: 25, ref: 'promo:SPRING25' }))).toBe(
      'Promo code SPRING25',
    );
    expect(
      describeEntry(
        entry({
          type: 'expiry',
          amount: 40,
          reason: 'lifetime',
          lot: lot('signup', '2030-01-10T00:00:00.000Z'),
        }),
      ),
    ).toBe('Expired: welcome bonus from Jan 10, 2030');
    // A proposal whose job the server did not name (not this freelancer's).
    expect(
      describeEntry(entry({ type: 'debit', amount: 6, reason: 'proposal', ref: 'proposal:prop_337bba29' })),
    ).toBe('Applied to a job');
  });

  it('are ordered by time, not by sequence', () => {
    const lines = historyLines([
      entry({ type: 'grant', amount: 40, effectiveAt: '2030-01-10T09:00:00.000Z' }, [0, 40]),
      entry({ type: 'grant', amount: 10, effectiveAt: '2030-01-10T00:00:00.000Z' }, [40, 50]),
    ]);
    expect(lines.map((l) => l.at)).toEqual(['2030-01-10T09:00:00.000Z', '2030-01-10T00:00:00.000Z']);
  });

  it('names the operator who wrote an entry', () => {
    const [line] = historyLines([
      entry(
        { type: 'grant', amount: 15, reason: 'Ticket 4711', actor: { id: 'sam', role: 'support' } },
        [50, 65],
      ),
    ]);
    expect(line?.actor).toBe('sam (support)');
    expect(historyLines([entry({ type: 'grant', amount: 5 }, [0, 5])])[0]?.actor).toBeNull();
  });

  it('group the badge’s 1-Connect charges by week', () => {
    const charges = Array.from({ length: 22 }, (_, i) =>
      entry(
        {
          type: 'debit',
          amount: 1,
          reason: 'availability_badge',
          ref: 'badge',
          // 11 charges in the week of Monday 4 March 2030, then 11 in the week of 11 March.
          effectiveAt: new Date(Date.UTC(2030, 2, 4 + Math.floor(i / 11) * 7, i % 11)).toISOString(),
        },
        [100 - i, 99 - i],
      ),
    );
    const lines = historyLines(charges);
    expect(lines.map((l) => [l.text, l.change, l.count])).toEqual([
      ['Available-now badge, week of Mar 11, 2030', '\u221211', 11],
      ['Available-now badge, week of Mar 4, 2030', '\u221211', 11],
    ]);
  });

  it('sign the change to the balance, or to the available balance for holds', () => {
    const s = (b: number[], a: number[]) =>
      signed({
        balanceBefore: b[0] ?? 0,
        balanceAfter: b[1] ?? 0,
        availableBefore: a[0] ?? 0,
        availableAfter: a[1] ?? 0,
      });
    expect(s([0, 40], [0, 40])).toBe('+40');
    expect(s([40, 34], [40, 34])).toBe('\u22126');
    expect(s([34, 34], [34, 29])).toBe('\u22125 available');
    expect(s([34, 34], [29, 34])).toBe('+5 available');
  });
});
