import {
  freelancerColumns,
  freelancerFromRow,
  type Freelancer,
  type FreelancerRow,
} from '../accounts/freelancer-rows.ts';
import { jobColumns, jobFromRow, type Job } from '../jobs/job-rows.ts';
import { proposalColumns, proposalFromRow, type Proposal, type ProposalRow } from './proposal-rows.ts';

/**
 * The proposal batch's two statements and their rows (submit-batch.ts
 * decides in between): the load of everything a batch names, and the
 * write of the proposals it accepted. Values arrive as one JSON payload,
 * inlined by the caller as a literal.
 */

/** What a batch names, for its load. */
export interface BatchNames {
  readonly proposalId: string;
  readonly jobId: string;
  readonly freelancerId: string;
}

export interface Loaded {
  readonly jobs: ReadonlyMap<string, Job>;
  readonly proposals: ReadonlyMap<string, Proposal>;
  /** `${freelancerId}\u0000${jobId}` of the proposals already made. */
  readonly pairs: ReadonlySet<string>;
  readonly freelancers: ReadonlyMap<string, Freelancer>;
}

export const pairKey = (freelancerId: string, jobId: string) => `${freelancerId}\u0000${jobId}`;

/**
 * One statement: the jobs locked in job id order (the lock order of every
 * proposal), then what the proposals name. The reads share the statement's
 * snapshot, taken before a lock wait; a proposal a concurrent writer inserted
 * meanwhile is still refused by the unique keys (the batch then runs again).
 * `= ANY(ARRAY(...))` and the LATERAL look-up keep every read on an index
 * (an IN over a set-returning function may be planned as a scan of the table).
 * The look-up's LIMIT 1 (a pair is unique) keeps the planner from flattening
 * it into a hash join over every proposal, which it did while the table was
 * young (1,000s of rows): a scan growing with the table at every batch.
 */
export const loadSql = (payload: string) => `WITH p AS (SELECT ${payload} AS j),
locked AS (
  SELECT ${jobColumns} FROM jobs
   WHERE job_id = ANY(ARRAY(SELECT jsonb_array_elements_text(p.j->'jobs') FROM p))
   ORDER BY job_id FOR UPDATE)
SELECT
  (SELECT coalesce(json_agg(locked), '[]')::text FROM locked) AS jobs,
  (SELECT coalesce(json_agg(x), '[]')::text FROM (SELECT ${proposalColumns} FROM proposals
     WHERE proposal_id = ANY(ARRAY(SELECT jsonb_array_elements_text(p.j->'proposals') FROM p))) x) AS proposals,
  (SELECT coalesce(json_agg(x), '[]')::text FROM (
     SELECT q.freelancer_id, q.job_id FROM p, jsonb_to_recordset(p.j->'pairs') AS r(f text, jb text),
       LATERAL (SELECT freelancer_id, job_id FROM proposals WHERE freelancer_id = r.f AND job_id = r.jb
                LIMIT 1) q) x)
     AS pairs,
  (SELECT coalesce(json_agg(x), '[]')::text FROM (SELECT ${freelancerColumns} FROM freelancers
     WHERE id = ANY(ARRAY(SELECT jsonb_array_elements_text(p.j->'freelancers') FROM p))) x) AS freelancers`;

/** One statement: the new proposals, and each job's count raised by its new ones. */
export const writeSql = (payload: string) => `WITH p AS (
  SELECT * FROM jsonb_to_recordset(${payload}) AS r(proposal_id text, job_id text, freelancer_id text, via text,
    bid_cents bigint, cost_connects integer, cost_draws jsonb, submitted_at bigint)),
inserted AS (
  INSERT INTO proposals (${proposalColumns})
  SELECT proposal_id, job_id, freelancer_id, via, bid_cents, cost_connects, cost_draws, NULL, 'active',
         submitted_at, NULL, NULL
    FROM p
  RETURNING job_id)
UPDATE jobs SET proposal_count = jobs.proposal_count + c.n
  FROM (SELECT job_id, count(*)::int AS n FROM inserted GROUP BY job_id) c
 WHERE jobs.job_id = c.job_id`;

/** What the load statement names: the batch's jobs (locked), proposal ids, freelancers and pairs. */
export function loadPayload(items: readonly BatchNames[]): string {
  const unique = (values: string[]) => [...new Set(values)].sort();
  return JSON.stringify({
    jobs: unique(items.map((i) => i.jobId)),
    proposals: unique(items.map((i) => i.proposalId)),
    freelancers: unique(items.map((i) => i.freelancerId)),
    pairs: items.map((i) => ({ f: i.freelancerId, jb: i.jobId })),
  });
}

export function parseLoaded(row: Readonly<Record<string, unknown>> | undefined): Loaded {
  if (row === undefined) throw new Error('the proposal batch load returned no row');
  const text = (column: string) => String(row[column]);
  const jobs = (JSON.parse(text('jobs')) as Parameters<typeof jobFromRow>[0][]).map(jobFromRow);
  const proposals = (JSON.parse(text('proposals')) as ProposalRow[]).map(proposalFromRow);
  const pairs = JSON.parse(text('pairs')) as { freelancer_id: string; job_id: string }[];
  const freelancers = (JSON.parse(text('freelancers')) as FreelancerRow[]).map(freelancerFromRow);
  return {
    jobs: new Map(jobs.map((j) => [j.jobId, j])),
    proposals: new Map(proposals.map((p) => [p.proposalId, p])),
    pairs: new Set(pairs.map((p) => pairKey(p.freelancer_id, p.job_id))),
    freelancers: new Map(freelancers.map((f) => [f.id, f])),
  };
}

/** A proposal as the write statement's payload reads it. */
export function proposalRow(p: Proposal) {
  return {
    proposal_id: p.proposalId,
    job_id: p.jobId,
    freelancer_id: p.freelancerId,
    via: p.via,
    bid_cents: p.bidCents,
    cost_connects: p.costConnects,
    cost_draws: p.costDraws,
    submitted_at: p.submittedAt,
  };
}
