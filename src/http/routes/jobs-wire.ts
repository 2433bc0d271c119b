import { z } from '@hono/zod-openapi';
import type { BoostView, RankedProposal } from '../../app/boosts/boost-view.ts';
import type { JobView } from '../../app/jobs/job-view.ts';
import type { BidRange } from '../../app/proposals/get-bid-range.ts';
import type { ProposalView } from '../../app/proposals/proposal-view.ts';
import { toIso, type Instant } from '../../core/time.ts';
import { isoInstantSchema } from '../schemas.ts';

/**
 * Response schemas of the jobs and proposals routes and the mappers from the
 * use cases' views (instants as milliseconds) to the wire (ISO strings).
 */
const isoOrNull = (t: Instant | null): string | null => (t === null ? null : toIso(t));
const nullableIso = isoInstantSchema.nullable();

export const jobSchema = z
  .object({
    jobId: z.string(),
    clientId: z.string(),
    budgetCents: z.int().nullable(),
    hourly: z.boolean(),
    enterprise: z.boolean(),
    connectsRequired: z.int().openapi({ description: 'What a proposal costs (0 on free paths).' }),
    explicitPrice: z.boolean().openapi({ description: 'The poster set the price instead of the rate card.' }),
    status: z.enum(['open', 'hired', 'cancelled', 'removed']),
    postedAt: isoInstantSchema,
    closedAt: nullableIso,
    hiredProposalId: z.string().nullable(),
    proposalCount: z.int(),
    auction: z.object({
      closesAt: isoInstantSchema.openapi({ description: 'The boost auction closes then at the latest.' }),
      closedAt: nullableIso,
      closeReason: z.enum(['deadline', 'hire', 'cancel']).nullable(),
    }),
  })
  .openapi('Job');

export const rankedProposalSchema = z
  .object({
    rank: z.int(),
    proposalId: z.string(),
    freelancerId: z
      .string()
      .nullable()
      .openapi({ description: "Null when a freelancer views another freelancer's boost." }),
    bidConnects: z.int(),
    status: z.enum(['held', 'charged']),
    boosted: z.boolean().openapi({ description: 'Shown to the client marked "Boosted".' }),
  })
  .openapi('RankedProposal');

export const bidRangeSchema = z
  .object({
    jobId: z.string(),
    proposals: z
      .int()
      .openapi({ description: "The proposals the range covers: a freelancer viewer's own is left out." }),
    lowCents: z.int().nullable(),
    averageCents: z.int().nullable().openapi({ description: 'Rounded to the nearest cent, halves up.' }),
    highCents: z.int().nullable(),
  })
  .openapi('BidRange');

export const proposalSchema = z
  .object({
    proposalId: z.string(),
    jobId: z.string(),
    freelancerId: z.string(),
    via: z.enum(['feed', 'invitation', 'offer', 'catalog']),
    bidCents: z.int(),
    costConnects: z.int().openapi({ description: 'Connects the submission cost, fixed at submission.' }),
    boostConnects: z.int().nullable(),
    status: z.enum(['active', 'withdrawn', 'hired']),
    submittedAt: isoInstantSchema,
    withdrawnAt: nullableIso,
    refundedAt: nullableIso,
  })
  .openapi('Proposal');

export const boostSchema = z
  .object({
    proposalId: z.string(),
    bidConnects: z.int(),
    status: z.enum(['held', 'charged', 'released']),
    rank: z.int().nullable().openapi({ description: '1-based while held or charged; null once released.' }),
    boosted: z.boolean(),
    placedAt: isoInstantSchema,
    opens: z.int(),
    views: z.int(),
  })
  .openapi('Boost');

export const jobWire = (job: JobView) => ({
  ...job,
  postedAt: toIso(job.postedAt),
  closedAt: isoOrNull(job.closedAt),
  auction: {
    ...job.auction,
    closesAt: toIso(job.auction.closesAt),
    closedAt: isoOrNull(job.auction.closedAt),
  },
});

/** `viewer`: a freelancer viewer sees only its own id in the ranking; null shows every id (admin). */
export const rankingWire = (ranking: readonly RankedProposal[], viewer: string | null) =>
  ranking.map((r) => ({
    ...r,
    freelancerId: viewer === null || r.freelancerId === viewer ? r.freelancerId : null,
  }));

export const bidRangeWire = (range: BidRange) => ({ ...range });

export const proposalWire = (p: ProposalView) => ({
  ...p,
  submittedAt: toIso(p.submittedAt),
  withdrawnAt: isoOrNull(p.withdrawnAt),
  refundedAt: isoOrNull(p.refundedAt),
});

export const boostWire = (b: BoostView | null) => (b === null ? null : { ...b, placedAt: toIso(b.placedAt) });
