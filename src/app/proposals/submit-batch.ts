import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import { stampActorSql, type Actor, type ActorScope, type WrittenEntry } from '../../store/actor-store.ts';
import { Batcher } from '../../store/batcher.ts';
import { isStoreUnavailableError } from '../../store/sql-client.ts';
import type { ExecuteResult, LedgerRound, TimedTxCommand } from '../../store/store.ts';
import { notFound } from '../accounts/freelancer-rows.ts';
import { proposalRef } from '../boosts/ledger-plan.ts';
import type { AppContext } from '../context.ts';
import { jobClosedError, type Job } from '../jobs/job-rows.ts';
import { cappedRenewalDue } from '../scheduler/renew-first.ts';
import {
  loadPayload,
  loadSql,
  pairKey,
  parseLoaded,
  proposalRow,
  writeSql,
  type Loaded,
} from './batch-rows.ts';
import { MAX_PROPOSALS_PER_JOB, type Proposal } from './proposal-rows.ts';
import { proposalView, type ProposalView } from './proposal-view.ts';

/**
 * Group commit of whole proposals: the proposals that arrive together are
 * decided in one transaction of seven statements in two round trips,
 * however many they are (a round of the store, `LedgerStore.round`): BEGIN,
 * one load (their jobs locked in sorted order, then the proposals,
 * duplicate pairs and freelancers they name) and the ledger's lock and load
 * of their freelancers' accounts (sorted, after the jobs: the order every
 * proposal takes) in one script; the decisions and debits in memory; then
 * the ledger's write, one statement inserting the proposals and counting
 * them on their jobs, and COMMIT in another. The rules are the single
 * path's, in its order; a refused proposal fails alone. What the batch does
 * not decide (a boost, a capped renewal due first, an auction due to close,
 * a proposal id or pair met twice in one batch, a job at its last free
 * place) goes back to the single path (`submitProposal`), which sees the
 * batch's commit. An operator's proposals are batched with that operator's
 * only, the transaction stamped with its actor.
 */

/** What a batched proposal carries: the single path's input without a boost. */
export interface BatchedProposalInput {
  readonly proposalId: string;
  readonly jobId: string;
  readonly freelancerId: string;
  readonly bidCents: number;
  readonly via?: Proposal['via'] | undefined;
}

export interface BatchedProposal {
  readonly input: BatchedProposalInput;
  readonly now: Instant;
}

export interface BatchedOutput {
  readonly proposal: ProposalView;
  readonly boost: null;
  readonly replayed: boolean;
}

/**
 * The batch's answer: the outcome (with the ledger entries it wrote, for an
 * operator's audit row), or `single` for a proposal the single path must decide.
 */
export type BatchAnswer =
  | { readonly done: Result<BatchedOutput>; readonly written?: readonly WrittenEntry[] }
  | { readonly single: true };

const SINGLE: BatchAnswer = { single: true };

/** Most proposals one transaction decides (each locks a job and an account). */
export const MAX_PROPOSAL_BATCH = 256;

/** True when an earlier request with this proposal id was the same request (so it is replayed). */
export function sameRequest(
  p: Proposal,
  input: BatchedProposalInput & { readonly boostConnects?: number | undefined },
): boolean {
  return (
    p.jobId === input.jobId &&
    p.freelancerId === input.freelancerId &&
    p.bidCents === input.bidCents &&
    p.via === (input.via ?? 'feed') &&
    p.boostConnects === (input.boostConnects ?? null)
  );
}

/** A proposal the pure decision accepted, waiting for its debit. */
interface Accepted {
  readonly index: number;
  readonly job: Job;
  readonly via: Proposal['via'];
  readonly cost: number;
}

/** The single path's checks, in its order, against the loaded rows: an answer, or the proposal accepted. */
function decide(
  ctx: AppContext,
  loaded: Loaded,
  item: BatchedProposal,
  index: number,
  newOnJob: Map<string, number>,
): BatchAnswer | Accepted {
  const { input, now } = item;
  const freelancer = loaded.freelancers.get(input.freelancerId);
  // The single path renews a capped cycle before anything else.
  if (freelancer !== undefined && cappedRenewalDue(ctx.timeline, freelancer, now)) return SINGLE;
  const job = loaded.jobs.get(input.jobId);
  if (job === undefined) {
    const jobId = input.jobId;
    return { done: err(connectsError('job_not_found', `No job ${jobId} exists.`, { jobId })) };
  }
  const existing = loaded.proposals.get(input.proposalId);
  if (existing !== undefined) {
    if (!sameRequest(existing, input)) {
      const message = `Proposal ${input.proposalId} exists with different details.`;
      return { done: err(connectsError('proposal_exists', message)) };
    }
    // Not boosted (sameRequest): the replay has no boost to show.
    return { done: ok({ proposal: proposalView(existing), boost: null, replayed: true }) };
  }
  if (freelancer === undefined) return { done: notFound(input.freelancerId) };
  if (job.status !== 'open') return { done: jobClosedError(job) };
  if (loaded.pairs.has(pairKey(input.freelancerId, job.jobId))) {
    const message = `Freelancer ${input.freelancerId} already applied to this job.`;
    return { done: err(connectsError('duplicate_proposal', message)) };
  }
  const already = newOnJob.get(job.jobId) ?? 0;
  if (job.proposalCount >= MAX_PROPOSALS_PER_JOB) {
    const message = `Job ${job.jobId} accepts no more proposals.`;
    return { done: err(connectsError('job_closed', message, { jobId: job.jobId })) };
  }
  // The last places: whether this one fits depends on the debits before it; the single path tells.
  if (already > 0 && job.proposalCount + already >= MAX_PROPOSALS_PER_JOB) return SINGLE;
  // An auction due to close closes in the transaction of the write that notices it: the single path's work.
  if (job.auctionClosedAt === null && now >= job.auctionClosesAt) return SINGLE;
  newOnJob.set(job.jobId, already + 1);
  const via = input.via ?? 'feed';
  // The price is fixed at submission; every path but the feed is free (rules.md 5.2).
  return { index, job, via, cost: via === 'feed' ? job.connectsRequired : 0 };
}

/**
 * A batch as one round of the store (two round trips): the load (and the
 * actor's stamp), the ledger's lock and load of every freelancer it names,
 * the decisions and debits in memory, then the ledger's write and the
 * proposals' insert with COMMIT. One answer per item, in order.
 */
function proposalRound(
  ctx: AppContext,
  actor: Actor | undefined,
  items: readonly BatchedProposal[],
): LedgerRound<BatchAnswer[]> {
  // A proposal id or freelancer-job pair met twice: the later one waits for the single path.
  const seenIds = new Set<string>();
  const seenPairs = new Set<string>();
  const batchable: number[] = [];
  items.forEach(({ input }, index) => {
    const pair = pairKey(input.freelancerId, input.jobId);
    if (!seenIds.has(input.proposalId) && !seenPairs.has(pair)) batchable.push(index);
    seenIds.add(input.proposalId);
    seenPairs.add(pair);
  });
  const item = (index: number) => items[index] as BatchedProposal;
  const debitOf = (index: number, cost: number): TimedTxCommand => {
    const { input, now } = item(index);
    const ref = proposalRef(input.proposalId);
    return {
      account: input.freelancerId,
      ops: [{ kind: 'debit', amount: cost, ref, reason: 'proposal' }],
      idempotencyKey: ref,
      now,
    };
  };
  const payload = loadPayload(batchable.map((index) => item(index).input));
  return {
    firstCount: actor === undefined ? 1 : 2,
    first: (literal) => [
      ...(actor === undefined ? [] : [stampActorSql(actor, literal)]),
      loadSql(`${literal(payload)}::jsonb`),
    ],
    // Every freelancer the batch names: the price is known only once the jobs are loaded.
    load: batchable.map((index) => debitOf(index, 1)),
    decide(rows) {
      const loaded = parseLoaded(rows.at(-1)?.[0]);
      const answers: (BatchAnswer | undefined)[] = items.map(() => undefined);
      const newOnJob = new Map<string, number>();
      const accepted: Accepted[] = [];
      for (const index of batchable) {
        const decided = decide(ctx, loaded, item(index), index, newOnJob);
        if ('index' in decided) accepted.push(decided);
        else answers[index] = decided;
      }
      const paying = accepted.filter((a) => a.cost > 0);
      return {
        commands: paying.map((a) => debitOf(a.index, a.cost)),
        finish(outcomes, literal) {
          const debits = new Map(paying.map((a, i) => [a.index, outcomes[i] as Result<ExecuteResult>]));
          const written: Proposal[] = [];
          for (const a of accepted) {
            const { input, now } = item(a.index);
            const debited = debits.get(a.index);
            if (debited !== undefined && !debited.ok) {
              answers[a.index] = { done: debited };
              continue;
            }
            const entries = debited === undefined || debited.value.replayed ? [] : debited.value.entries;
            const debit = entries.find((e) => e.type === 'debit');
            const proposal: Proposal = {
              proposalId: input.proposalId,
              jobId: a.job.jobId,
              freelancerId: input.freelancerId,
              via: a.via,
              bidCents: input.bidCents,
              costConnects: a.cost,
              costDraws: debit?.postings ?? [],
              boostConnects: null,
              status: 'active',
              submittedAt: now,
              withdrawnAt: null,
              refundedAt: null,
            };
            written.push(proposal);
            answers[a.index] = {
              done: ok({ proposal: proposalView(proposal), boost: null, replayed: false }),
              written: entries.map((e) => ({ account: input.freelancerId, seq: e.seq })),
            };
          }
          const last =
            written.length === 0
              ? []
              : [writeSql(`${literal(JSON.stringify(written.map(proposalRow)))}::jsonb`)];
          return { last, value: answers.map((answer) => answer ?? SINGLE) };
        },
      };
    },
  };
}

/**
 * Runs one batch. A database that is gone fails every proposal of it at
 * once (each would wait out the same timeouts alone); any other failure of
 * the batch (a bug, a row the database refused) sends each proposal to the
 * single path, so one bad proposal cannot fail the others.
 */
async function runBatch(
  ctx: AppContext,
  actor: Actor | undefined,
  items: readonly BatchedProposal[],
): Promise<BatchAnswer[]> {
  try {
    return await ctx.store.round(proposalRound(ctx, actor, items));
  } catch (error) {
    if (isStoreUnavailableError(error)) throw error;
    return items.map(() => SINGLE);
  }
}

/**
 * The batchers of a context, one per actor ('' for freelancers' own
 * requests): a batch's transaction stamps its rows with one actor, so an
 * operator's proposals share batches with that operator's only.
 */
const batchers = new WeakMap<AppContext, Map<string, Batcher<BatchedProposal, BatchAnswer>>>();

function batcherFor(context: AppContext, actor: Actor | undefined): Batcher<BatchedProposal, BatchAnswer> {
  let byActor = batchers.get(context);
  if (byActor === undefined) {
    byActor = new Map();
    batchers.set(context, byActor);
  }
  const key = actor === undefined ? '' : `${actor.role}\u0000${actor.id}`;
  let batcher = byActor.get(key);
  if (batcher === undefined) {
    batcher = new Batcher((items) => runBatch(context, actor, items), {
      maxBatch: MAX_PROPOSAL_BATCH,
      windowMs: 1,
      // PGlite runs one transaction at a time; PostgreSQL overlaps a batch's commit with the next one's work.
      maxInFlight: context.store.engine === 'pglite' ? 1 : 4,
      spreadAbove: 32,
    });
    byActor.set(key, batcher);
  }
  return batcher;
}

/**
 * Queues a proposal for the next batch of its context and actor. `scope`
 * (an operator's request) names the actor the rows carry and collects the
 * ledger entries written for the request's audit row.
 */
export async function submitInBatch(
  context: AppContext,
  item: BatchedProposal,
  scope?: ActorScope,
): Promise<BatchAnswer> {
  const answer = await batcherFor(context, scope?.actor).submit(item);
  if (scope !== undefined && 'written' in answer && answer.written !== undefined) {
    scope.written.push(...answer.written);
  }
  return answer;
}
