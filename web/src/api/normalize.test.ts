import { describe, expect, it } from 'vitest';
import { jobView } from './normalize.ts';

const job = {
  jobId: 'j-1',
  clientId: 'c-1',
  budgetCents: 75_000,
  hourly: false,
  enterprise: false,
  connectsRequired: 6,
  explicitPrice: false,
  status: 'open' as const,
  postedAt: '2030-03-10T12:00:00.000Z',
  closedAt: null,
  hiredProposalId: null,
  proposalCount: 2,
  auction: { closesAt: '2030-03-17T12:00:00.000Z', closedAt: null, closeReason: null },
};

describe('jobView', () => {
  it('puts the id, the ranking and the bid range on the job', () => {
    const view = jobView({
      job,
      ranking: [
        { rank: 1, proposalId: 'p-1', freelancerId: 'fl_a', bidConnects: 5, status: 'held', boosted: true },
      ],
      bidRange: { jobId: 'j-1', proposals: 2, lowCents: 100, averageCents: 150, highCents: 200 },
    });
    expect(view).toMatchObject({ id: 'j-1', connectsRequired: 6, proposalCount: 2 });
    expect(view.bidRange?.averageCents).toBe(150);
    expect(view.ranking).toHaveLength(1);
  });

  it('keeps an empty range (nobody else bid) apart from no range (the viewer may not see it)', () => {
    const range = { jobId: 'j-1', proposals: 0, lowCents: null, averageCents: null, highCents: null };
    expect(jobView({ job, ranking: [], bidRange: range }).bidRange).toEqual(range);
    expect(jobView({ job, ranking: [], bidRange: null }).bidRange).toBeNull();
  });
});
