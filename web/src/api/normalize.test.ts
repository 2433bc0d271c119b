import { describe, expect, it } from 'vitest';
import {
  normalizeEntries,
  normalizeFreelancer,
  normalizeJob,
  normalizeJobs,
  normalizeLots,
} from './normalize.ts';

describe('normalizeJob', () => {
  it('reads the nested view with the ranking and the bid range', () => {
    const job = normalizeJob({
      job: {
        jobId: 'j-1',
        clientId: 'c-1',
        budgetCents: 75_000,
        hourly: false,
        enterprise: false,
        connectsRequired: 6,
        status: 'open',
        postedAt: '2030-03-10T12:00:00.000Z',
        proposalCount: 2,
        auction: { closesAt: '2030-03-17T12:00:00.000Z', closedAt: null, closeReason: null },
      },
      ranking: [
        { rank: 1, proposalId: 'p-1', freelancerId: 'fl_a', bidConnects: 5, status: 'held', boosted: true },
      ],
      bidRange: { jobId: 'j-1', proposals: 2, lowCents: 100, averageCents: 150, highCents: 200 },
    });
    expect(job).toMatchObject({
      id: 'j-1',
      connectsRequired: 6,
      budgetCents: 75_000,
      auctionClosesAt: '2030-03-17T12:00:00.000Z',
      proposalCount: 2,
      bidRange: { lowCents: 100, averageCents: 150, highCents: 200 },
    });
    expect(job.ranking).toEqual([
      { rank: 1, proposalId: 'p-1', freelancerId: 'fl_a', bidConnects: 5, status: 'held', boosted: true },
    ]);
  });

  it('reads a flat job, epoch instants, and a bid range without bids as none', () => {
    const job = normalizeJob({
      id: 'j-2',
      clientId: 'c',
      connectsRequired: 0,
      postedAt: 0,
      bidRange: { lowCents: null },
    });
    expect(job.id).toBe('j-2');
    expect(job.postedAt).toBe('1970-01-01T00:00:00.000Z');
    expect(job.bidRange).toBeNull();
    expect(job.ranking).toEqual([]);
    expect(job.status).toBe('open');
  });

  it('hides the auction deadline once the auction closed', () => {
    const job = normalizeJob({
      job: { jobId: 'j', auction: { closesAt: '2030-01-08T00:00:00Z', closedAt: '2030-01-02T00:00:00Z' } },
    });
    expect(job.auctionClosesAt).toBeNull();
  });

  it('reads a page of jobs', () => {
    expect(normalizeJobs({ jobs: [{ jobId: 'a' }], nextCursor: 'x' })).toMatchObject({
      jobs: [{ id: 'a' }],
      nextCursor: 'x',
    });
    expect(normalizeJobs(null)).toEqual({ jobs: [], nextCursor: null });
  });
});

describe('normalizeFreelancer', () => {
  it('reads pendingPlan, nextCycleAt and a card on file', () => {
    const f = normalizeFreelancer({
      freelancer: {
        id: 'fl_ada',
        name: 'Ada',
        registeredAt: '2030-03-01T00:00:00.000Z',
        plan: 'plus',
        pendingPlan: 'basic',
        nextCycleAt: '2030-04-01T00:00:00.000Z',
        card: '4242',
      },
    });
    expect(f).toMatchObject({
      id: 'fl_ada',
      name: 'Ada',
      plan: 'plus',
      nextPlan: 'basic',
      cycle: { start: '', end: '2030-04-01T00:00:00.000Z' },
      hasCard: true,
      availabilityBadge: null,
    });
  });
});

describe('normalizeLots and normalizeEntries', () => {
  it('keys lots by lotNo and reads epoch or ISO instants', () => {
    const { lots } = normalizeLots({
      lots: [
        {
          lotNo: 3,
          source: 'purchase',
          category: 'paid',
          amount: 20,
          remaining: 15,
          issuedAt: 0,
          expiresAt: '1971-01-01T00:00:00.000Z',
          ref: 'purchase:p1',
        },
      ],
    });
    expect(lots).toEqual([
      {
        lotId: '3',
        source: 'purchase',
        category: 'paid',
        amount: 20,
        remaining: 15,
        issuedAt: '1970-01-01T00:00:00.000Z',
        expiresAt: '1971-01-01T00:00:00.000Z',
        ref: 'purchase:p1',
      },
    ]);
  });

  it('keeps the balance and available columns of entries', () => {
    const page = normalizeEntries({
      entries: [
        {
          seq: 4,
          type: 'hold',
          amount: 5,
          balanceBefore: 50,
          balanceAfter: 50,
          availableBefore: 50,
          availableAfter: 45,
          effectiveAt: '2030-03-10T12:00:00.000Z',
          ref: 'proposal:p',
          reason: null,
        },
      ],
      nextCursor: null,
    });
    expect(page.entries[0]).toEqual({
      seq: 4,
      type: 'hold',
      amount: 5,
      balanceBefore: 50,
      balanceAfter: 50,
      availableBefore: 50,
      availableAfter: 45,
      effectiveAt: '2030-03-10T12:00:00.000Z',
      ref: 'proposal:p',
      reason: null,
    });
    expect(page.nextCursor).toBeNull();
  });
});
