import { describe, expect, it } from 'vitest';
import { jobOfProposal, proposalIdFor } from './http.ts';
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

  it('has no bid range when the viewer may not see it', () => {
    const range = { jobId: 'j-1', proposals: 2, lowCents: null, averageCents: null, highCents: null };
    expect(jobView({ job, ranking: [], bidRange: range }).bidRange).toBeNull();
  });
});

describe('proposal ids', () => {
  it('name their job, so the history can link to it', () => {
    const id = proposalIdFor('job-101');
    expect(id).toMatch(/^p\.job-101\.[0-9a-f]{12}$/);
    expect(jobOfProposal(id)).toBe('job-101');
    expect(jobOfProposal('prop_337bba29')).toBeNull();
  });

  it('fall back to a random id when the job id is too long', () => {
    const id = proposalIdFor('j'.repeat(60));
    expect(id.length).toBeLessThanOrEqual(64);
    expect(jobOfProposal(id)).toBeNull();
  });
});
