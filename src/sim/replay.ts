import { findFreelancer } from '../app/accounts/freelancer-rows.ts';
import { registerFreelancer } from '../app/accounts/register-freelancer.ts';
import { setAvailabilityBadge } from '../app/badge/set-availability-badge.ts';
import { postJob } from '../app/jobs/post-job.ts';
import { testCards } from '../app/payments/test-provider.ts';
import { changePlan } from '../app/plans/change-plan.ts';
import { recordInterview } from '../app/proposals/record-interview.ts';
import { submitProposal } from '../app/proposals/submit-proposal.ts';
import { buyConnects } from '../app/purchases/buy-connects.ts';
import type { Connects } from '../connects.ts';
import type { Result } from '../core/errors.ts';
import { policyAt } from '../core/policy/timeline.ts';
import { MS_PER_DAY, type Instant } from '../core/time.ts';
import { decideProposal } from './behaviour.ts';
import { syntheticId, simIds } from './ids.ts';
import type { RunTally } from './metrics.ts';
import type { PopulationParams } from './params.ts';
import {
  drawScript,
  notAtMidnight,
  type FreelancerScript,
  type ScriptEvent,
  type ScriptFrame,
} from './script.ts';

/**
 * The truth check's other side: the same synthetic scripts played through
 * the real service (use cases on a store, the scheduler run at 00:00 UTC
 * every day), taking the same decisions from the balances the store shows.
 * Slow by design; it exists to prove the engine equal to the service.
 */

type Step =
  | { kind: 'register' }
  | { kind: 'join_plus' }
  | { kind: 'script'; event: ScriptEvent }
  | { kind: 'interview'; no: number };

interface Queued {
  readonly at: Instant;
  readonly index: number;
  /** Order within one freelancer's steps at the same instant. */
  readonly order: number;
  readonly step: Step;
}

function must<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`${what}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Replays a synthetic population through `connects`; counts wanted and blocked proposals into `tally`. */
export async function replayThroughService(
  connects: Connects,
  params: PopulationParams,
  frame: ScriptFrame,
  tally: RunTally,
): Promise<void> {
  const ctx = connects.ctx;
  const starts = frame.monthStarts;
  const end = starts[starts.length - 1] as Instant;
  const scripts: FreelancerScript[] = [];
  const queue: Queued[] = [];
  let order = 0;
  for (let index = 0; index < params.freelancers; index += 1) {
    const script = drawScript(params, frame, index);
    scripts.push(script);
    queue.push({ at: script.registeredAt, index, order: order++, step: { kind: 'register' } });
    if (script.joinsPlus) {
      queue.push({ at: script.registeredAt + 60_000, index, order: order++, step: { kind: 'join_plus' } });
    }
    for (const event of script.events)
      queue.push({ at: event.at, index, order: order++, step: { kind: 'script', event } });
  }
  const byTime = (a: Queued, b: Queued) => a.at - b.at || a.index - b.index || a.order - b.order;
  queue.sort(byTime);
  const monthOf = (t: Instant) => {
    let m = 0;
    while (t >= (starts[m + 1] as Instant)) m += 1;
    return m;
  };

  const target = async (id: string) => {
    const f = await findFreelancer(ctx.store, id);
    if (f === undefined) throw new Error(`${id} is not registered`);
    return { plan: f.plan, target: f.pendingPlan ?? f.plan };
  };
  const downgrade = async (id: string, now: Instant) =>
    must(await changePlan(ctx, { freelancerId: id, plan: 'basic' }, now), 'downgrade');
  const upgrade = async (id: string, now: Instant) =>
    must(await changePlan(ctx, { freelancerId: id, plan: 'plus', card: testCards.succeeds }, now), 'upgrade');

  // A freelancer switching the badge on may be refused (price above their maximum, no Connect left).
  const setBadge = async (id: string, on: boolean, weeklyMaxConnects: number, now: Instant) => {
    const set = await setAvailabilityBadge(ctx, { freelancerId: id, on, weeklyMaxConnects }, now);
    if (set.ok || set.error.code === 'badge_price_above_max' || set.error.code === 'insufficient_connects')
      return;
    must(set, 'badge');
  };

  async function play(item: Queued): Promise<void> {
    const script = scripts[item.index] as FreelancerScript;
    const id = syntheticId(item.index);
    const ids = simIds(id);
    const now = item.at;
    const step = item.step;
    if (step.kind === 'register') {
      must(await registerFreelancer(ctx, { id }, now), 'register');
      return;
    }
    if (step.kind === 'join_plus') {
      await upgrade(id, now);
      return;
    }
    if (step.kind === 'interview') {
      must(await recordInterview(ctx, { proposalId: ids.proposal(step.no) }, now), 'interview');
      return;
    }
    const event = step.event;
    if (event.kind === 'plan') {
      const t = (await target(id)).target;
      if (t === 'basic' && event.upgrade) await upgrade(id, now);
      else if (t === 'plus' && event.downgrade) await downgrade(id, now);
      return;
    }
    if (event.kind === 'churn') {
      if ((await target(id)).target === 'plus') await downgrade(id, now);
      if (script.badgeUser) await setBadge(id, false, script.badgeWeeklyMax, now);
      return;
    }
    if (event.kind === 'badge') {
      await setBadge(id, event.on, script.badgeWeeklyMax, now);
      return;
    }
    const policy = policyAt(ctx.timeline, now);
    const { plan } = await target(id);
    const available = (await ctx.store.balance(id, now)).available;
    const decision = decideProposal(script, event, policy, plan, available);
    const m = monthOf(now);
    tally.add(m, 'proposalsWanted', 1);
    if (decision.buy > 0) {
      const purchase = { freelancerId: id, purchaseId: ids.purchase(event.no), connects: decision.buy };
      must(await buyConnects(ctx, { ...purchase, card: testCards.succeeds }, now), 'buy');
    }
    if (decision.blocked) {
      tally.add(m, 'proposalsBlocked', 1);
      return;
    }
    const jobId = ids.job(event.no);
    const budget = event.budgetCents === null ? { hourly: true } : { budgetCents: event.budgetCents };
    must(await postJob(ctx, { id: jobId, clientId: 'sim-client', ...budget }, now), 'post job');
    const proposal = {
      proposalId: ids.proposal(event.no),
      jobId,
      freelancerId: id,
      bidCents: 10_000,
      ...(decision.boost > 0 ? { boostConnects: decision.boost } : {}),
    };
    must(await submitProposal(ctx, proposal, now), 'submit');
    tally.add(m, 'proposalsSent', 1);
    if (event.interviewAfterMs >= 0) {
      const at = notAtMidnight(now + event.interviewAfterMs);
      if (at < end) {
        const item2: Queued = {
          at,
          index: item.index,
          order: order++,
          step: { kind: 'interview', no: event.no },
        };
        const i = queue.findIndex((q) => byTime(item2, q) < 0);
        queue.splice(i < 0 ? queue.length : i, 0, item2);
      }
    }
  }

  for (let day = starts[0] as Instant; day < end; day += MS_PER_DAY) {
    await connects.runScheduler({ now: day });
    while (queue.length > 0 && (queue[0] as Queued).at < day + MS_PER_DAY) {
      await play(queue.shift() as Queued);
    }
  }
  // As in the engine: the run at the end charges the auctions that closed on the last day.
  await connects.runScheduler({ now: end });
}
