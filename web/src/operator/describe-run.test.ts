import { describe, expect, it } from 'vitest';
import { describeRun } from './OverviewPage.tsx';

describe('describeRun', () => {
  it('names what the scheduler did, skipping zeros', () => {
    expect(describeRun({ allotments: 3, connects: 30, expired: 1, auctionsClosed: 0, complete: true })).toBe(
      'Scheduler ran: 3 allotments, 30 Connects allotted, 1 expiry.',
    );
  });

  it('counts the Connects charged for badges, not the badges', () => {
    expect(describeRun({ badgesCharged: 1, badgeConnectsCharged: 18, complete: true })).toBe(
      'Scheduler ran: 18 Connects charged for badges.',
    );
    expect(describeRun({ badgeConnectsCharged: 1, complete: true })).toBe(
      'Scheduler ran: 1 Connect charged for badges.',
    );
  });

  it('says when nothing was due and when more work waits', () => {
    expect(describeRun({ allotments: 0, complete: true })).toBe('Scheduler ran: nothing was due.');
    expect(describeRun({ expired: 2, complete: false })).toBe(
      'Scheduler ran: 2 expiries. More work is waiting: run it again.',
    );
    expect(describeRun(undefined)).toBe('Scheduler ran: nothing was due.');
  });
});
