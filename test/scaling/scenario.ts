import { getBalance } from '../../src/app/accounts/get-balance.ts';
import { getFreelancer } from '../../src/app/accounts/get-freelancer.ts';
import { registerFreelancer } from '../../src/app/accounts/register-freelancer.ts';
import { reportFacts } from '../../src/app/accounts/report-facts.ts';
import { adjustConnects } from '../../src/app/admin/adjust-connects.ts';
import { expireLot } from '../../src/app/admin/expire-lot.ts';
import { extendLot } from '../../src/app/admin/extend-lot.ts';
import { getStats } from '../../src/app/admin/get-stats.ts';
import { listFreelancers } from '../../src/app/admin/list-freelancers.ts';
import { setLowBalanceThreshold } from '../../src/app/admin/set-low-balance-threshold.ts';
import { voidLot } from '../../src/app/admin/void-lot.ts';
import { setAvailabilityBadge } from '../../src/app/badge/set-availability-badge.ts';
import { setBadgePrice } from '../../src/app/badge/set-badge-price.ts';
import { interactWithProposal } from '../../src/app/boosts/interact-with-proposal.ts';
import { cancelJob } from '../../src/app/jobs/cancel-job.ts';
import { getJob } from '../../src/app/jobs/get-job.ts';
import { hireFreelancer } from '../../src/app/jobs/hire-freelancer.ts';
import { listJobs } from '../../src/app/jobs/list-jobs.ts';
import { postJob } from '../../src/app/jobs/post-job.ts';
import { testCards } from '../../src/app/payments/test-provider.ts';
import { changePlan } from '../../src/app/plans/change-plan.ts';
import { createPromoCode } from '../../src/app/promo/create-promo-code.ts';
import { listPromoCodes } from '../../src/app/promo/list-promo-codes.ts';
import { redeemPromoCode } from '../../src/app/promo/redeem-promo-code.ts';
import { getBidRange } from '../../src/app/proposals/get-bid-range.ts';
import { listProposals } from '../../src/app/proposals/list-proposals.ts';
import { recordInterview } from '../../src/app/proposals/record-interview.ts';
import { submitProposal } from '../../src/app/proposals/submit-proposal.ts';
import { withdrawProposal } from '../../src/app/proposals/withdraw-proposal.ts';
import { buyConnects } from '../../src/app/purchases/buy-connects.ts';
import { listPurchases } from '../../src/app/purchases/list-purchases.ts';
import { refundPurchase } from '../../src/app/purchases/refund-purchase.ts';
import { createConnects, type Connects } from '../../src/connects.ts';
import type { Result } from '../../src/core/errors.ts';
import { MS_PER_DAY, type Instant } from '../../src/core/time.ts';
import { WebhookDispatcher } from '../../src/events/dispatcher.ts';
import { registerEndpoint } from '../../src/events/endpoints.ts';
import { listAccountEvents } from '../../src/events/payload.ts';
import { createTokenRepository } from '../../src/http/tokens.ts';
import type { LedgerStore } from '../../src/store/store.ts';

/** Every freelancer of the scenario: ids a census recognises among any statement's parameters. */
export const FREELANCERS = [
  'cens-ada',
  'cens-bo',
  'cens-cy',
  'cens-di',
  'cens-ed',
  'cens-flo',
  'cens-gus',
  'cens-hal',
] as const;

/** Finds the scenario's account keys inside any text (a parameter, a JSON payload, an inlined literal). */
export const ACCOUNT_KEY = /cens-[a-z]+/g;

const DAY = MS_PER_DAY;
const HOUR = 3_600_000;
/** Monday 2026-01-05 09:00 UTC. */
const T0: Instant = Date.UTC(2026, 0, 5, 9);

function must<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`${what}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

interface World {
  readonly store: LedgerStore;
  readonly connects: Connects;
  readonly ctx: Connects['ctx'];
  readonly step: (label: string) => void;
}

const [ada, bo, cy, di, ed, flo, gus, hal] = FREELANCERS;

/** A webhook endpoint; registrations, a token, purchases and a refund, a promo code. */
async function accountsPhase({ store, ctx, step }: World): Promise<void> {
  step('webhook endpoint');
  must(
    await registerEndpoint(store, { url: 'https://hooks.example.com/connects' }, T0 - 40 * DAY),
    'endpoint',
  );

  step('register freelancers');
  for (const [i, id] of FREELANCERS.entries()) {
    must(await registerFreelancer(ctx, { id, name: `Freelancer ${i}` }, T0 - 20 * DAY + i * HOUR), id);
  }
  must(await getFreelancer(ctx, { freelancerId: ada }, T0), 'get freelancer');
  must(
    await reportFacts(
      ctx,
      {
        freelancerId: ada,
        facts: {
          profileCompletenessPct: 100,
          availabilityUpdatedAt: T0 - DAY,
          proposalsMatchingSkills: true,
          tosViolationAt: [],
          hasJobSuccessScore: false,
          lastActiveAt: T0 - DAY,
        },
      },
      T0 - DAY,
    ),
    'report facts',
  );

  step('freelancer tokens');
  // The HTTP layer's look-up of a freelancer's bearer token, on every freelancer request.
  const tokens = createTokenRepository(store);
  const issued = must(await tokens.issue(ada, T0), 'token');
  if ((await tokens.resolve(issued.token))?.freelancerId !== ada) throw new Error('token not resolved');
  await tokens.list(ada);

  step('buy Connects');
  for (const id of FREELANCERS) {
    must(
      await buyConnects(
        ctx,
        { freelancerId: id, purchaseId: `pu-${id.length}-1`, connects: 80, card: testCards.succeeds },
        T0,
      ),
      `buy ${id}`,
    );
  }
  must(
    await buyConnects(
      ctx,
      { freelancerId: hal, purchaseId: 'pu-refund', connects: 20, card: testCards.succeeds },
      T0,
    ),
    'buy to refund',
  );
  must(await listPurchases(ctx, { freelancerId: hal }, T0 + HOUR), 'list purchases');
  step('refund a purchase');
  must(
    await refundPurchase(
      ctx,
      { freelancerId: hal, purchaseId: 'pu-refund', reason: 'chargeback' },
      T0 + HOUR,
    ),
    'refund',
  );

  step('promo code');
  must(
    await createPromoCode(
      ctx,
      { code: 'WELCOME10', connects: 10, validFrom: T0 - DAY, validUntil: T0 + 60 * DAY, maxRedemptions: 5 },
      T0 - DAY,
    ),
    'create promo',
  );
  must(await redeemPromoCode(ctx, { freelancerId: bo, code: 'WELCOME10' }, T0 + HOUR), 'redeem bo');
  must(await redeemPromoCode(ctx, { freelancerId: cy, code: 'WELCOME10' }, T0 + HOUR), 'redeem cy');
  must(await listPromoCodes(ctx, { status: 'all' }, T0 + HOUR), 'list promo codes');
}

/** Jobs, plain and boosted proposals, a withdrawal, interactions, an interview, a hire, a cancellation. */
async function jobsPhase({ ctx, step }: World): Promise<void> {
  step('post jobs');
  for (const id of ['job-auction', 'job-hire', 'job-cancel', 'job-plain']) {
    must(await postJob(ctx, { id, clientId: 'client-1', budgetCents: 60_000 }, T0 + HOUR), id);
  }
  must(await listJobs(ctx, { status: 'open', limit: 10 }, T0 + HOUR), 'list jobs');

  step('proposals');
  const submit = async (proposalId: string, jobId: string, freelancerId: string, boostConnects?: number) =>
    must(
      await submitProposal(
        ctx,
        { proposalId, jobId, freelancerId, bidCents: 50_000, ...(boostConnects ? { boostConnects } : {}) },
        T0 + 2 * HOUR,
      ),
      proposalId,
    );
  await submit('p-plain-1', 'job-plain', ada);
  await submit('p-plain-2', 'job-plain', bo);
  await submit('p-withdrawn', 'job-plain', cy);
  must(
    await withdrawProposal(ctx, { proposalId: 'p-withdrawn', freelancerId: cy }, T0 + 3 * HOUR),
    'withdraw',
  );

  step('boosted proposals');
  // Four slots by default: the fifth and higher bid pushes the lowest out and releases its hold.
  await submit('p-a1', 'job-auction', ada, 10);
  await submit('p-a2', 'job-auction', bo, 8);
  await submit('p-a3', 'job-auction', cy, 6);
  await submit('p-a4', 'job-auction', di, 4);
  await submit('p-a5', 'job-auction', ed, 9);
  await submit('p-h1', 'job-hire', flo, 5);
  await submit('p-h2', 'job-hire', gus, 3);
  await submit('p-c1', 'job-cancel', hal, 2);
  await submit('p-c2', 'job-cancel', ada);
  must(await getJob(ctx, { jobId: 'job-auction', viewerFreelancerId: ada }, T0 + 3 * HOUR), 'get job');
  must(await listProposals(ctx, { freelancerId: ada }, T0 + 3 * HOUR), 'list proposals');

  step('client interactions and interviews');
  must(
    await interactWithProposal(ctx, { interactionId: 'ix-1', proposalId: 'p-a2', kind: 'opens' }, T0 + DAY),
    'open',
  );
  must(await recordInterview(ctx, { proposalId: 'p-plain-1' }, T0 + DAY), 'interview');
  step('hire');
  must(await hireFreelancer(ctx, { proposalId: 'p-h2' }, T0 + 2 * DAY), 'hire');
  step('cancel a job (refunds)');
  must(await cancelJob(ctx, { jobId: 'job-cancel', reason: 'client' }, T0 + 2 * DAY), 'cancel');
}

/** The availability badge, the Plus upgrade and what it unlocks. */
async function featuresPhase({ ctx, step }: World): Promise<void> {
  step('availability badge');
  must(await setBadgePrice(ctx, { weeklyPriceConnects: 2 }, T0 + 2 * DAY), 'badge price');
  must(
    await setAvailabilityBadge(ctx, { freelancerId: di, on: true, weeklyMaxConnects: 10 }, T0 + 2 * DAY),
    'badge on',
  );

  step('plan upgrade');
  must(
    await changePlan(ctx, { freelancerId: ed, plan: 'plus', card: testCards.succeeds }, T0 + 2 * DAY),
    'plus',
  );
  must(await getBidRange(ctx, { jobId: 'job-plain', freelancerId: ed }, T0 + 2 * DAY), 'bid range');
}

/** Admin grants (three at once), a threshold, lot corrections, and the reads operators and freelancers make. */
async function operatorsPhase({ store, ctx, step }: World): Promise<void> {
  step('admin grants (batched)');
  const grants = await Promise.all(
    [flo, gus, hal].map((freelancerId) =>
      adjustConnects(
        ctx,
        { freelancerId, connects: 5, reason: 'support case', idempotencyKey: 'grant-1' },
        T0 + 3 * DAY,
      ),
    ),
  );
  grants.forEach((r, i) => must(r, `grant ${i}`));
  must(await setLowBalanceThreshold(ctx, { freelancerId: gus, connects: 25 }, T0 + 3 * DAY), 'threshold');

  step('lot corrections');
  const lot = (freelancerId: string) => store.lots(freelancerId, { withRemaining: true });
  const [first, second] = await lot(flo);
  if (first === undefined || second === undefined) throw new Error('expected two lots');
  must(
    await extendLot(
      ctx,
      {
        freelancerId: flo,
        lotNo: first.lotNo,
        reason: 'outage',
        expiresAt: first.expiresAt + 30 * DAY,
        idempotencyKey: 'xl-1',
      },
      T0 + 3 * DAY,
    ),
    'extend lot',
  );
  must(
    await voidLot(
      ctx,
      { freelancerId: flo, lotNo: second.lotNo, reason: 'by mistake', idempotencyKey: 'vl-1' },
      T0 + 3 * DAY,
    ),
    'void lot',
  );
  const [gusLot] = await lot(gus);
  if (gusLot === undefined) throw new Error('expected a lot');
  must(
    await expireLot(
      ctx,
      { freelancerId: gus, lotNo: gusLot.lotNo, reason: 'campaign over', idempotencyKey: 'el-1' },
      T0 + 3 * DAY,
    ),
    'expire lot',
  );

  step('reads');
  must(await getBalance(ctx, { freelancerId: ada }, T0 + 3 * DAY), 'balance');
  must(await getBalance(ctx, { freelancerId: ada, asOf: T0 + DAY }, T0 + 3 * DAY), 'balance as of');
  must(await store.entries(ada, { order: 'asc' }), 'history');
  await listAccountEvents(store, ada, 10);
  must(await getStats(ctx, { bucket: 'day' }, T0 + 3 * DAY), 'stats');
  must(await listFreelancers(ctx, { limit: 10 }, T0 + 3 * DAY), 'list freelancers');
}

/** The scheduler over the following month, the webhook deliveries, and the pruning a year on. */
async function schedulerPhase({ store, connects, step }: World): Promise<void> {
  step('scheduler: deadline, badges, allotments, expiry');
  // Day 8 closes the auction by its deadline and charges the badge; day 32 renews every plan's month.
  await connects.runScheduler({ now: T0 + 8 * DAY });
  await connects.runScheduler({ now: T0 + 32 * DAY });

  step('webhook deliveries');
  const dispatcher = new WebhookDispatcher(store, {
    clock: () => T0 + 32 * DAY,
    allowInternalTargets: true,
    fetch: () => Promise.resolve(new Response(null, { status: 204 })),
  });
  for (let round = 0; round < 20; round++) {
    const report = await dispatcher.dispatchOnce(T0 + 32 * DAY);
    if (report.attempted === 0 && report.fannedOut === 0) break;
  }
  step('scheduler: pruning');
  await connects.runScheduler({ now: T0 + 400 * DAY });
}

/**
 * A month of a small marketplace through the real use cases and the real
 * scheduler: registrations, purchases and a refund, a promo code, jobs with
 * plain and boosted proposals (an outbid hold released on another account,
 * an auction closed by its deadline and one by a hire), interviews, a
 * withdrawal, a cancelled job's refunds, the availability badge, a plan
 * upgrade, admin grants (three at once) and lot corrections, the monthly
 * tick, webhook deliveries, and the HTTP layer's token look-up. `step`
 * labels the statements that follow. Ids other than the freelancers' never
 * contain `cens-`.
 */
export async function runScenario(store: LedgerStore, step: (label: string) => void): Promise<void> {
  const connects = createConnects({ store });
  const world: World = { store, connects, ctx: connects.ctx, step };
  for (const phase of [accountsPhase, jobsPhase, featuresPhase, operatorsPhase, schedulerPhase]) {
    await phase(world);
  }
}
