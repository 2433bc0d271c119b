import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Result } from '../../core/errors.ts';
import type { SqlClient } from '../../store/sql-client.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import {
  completeCertification,
  completeCertificationInputSchema,
} from '../accounts/complete-certification.ts';
import { getBalance, getBalanceInputSchema } from '../accounts/get-balance.ts';
import { getFreelancer, getFreelancerInputSchema } from '../accounts/get-freelancer.ts';
import { registerFreelancer, registerFreelancerInputSchema } from '../accounts/register-freelancer.ts';
import { reportFacts, reportFactsInputSchema } from '../accounts/report-facts.ts';
import { adjustConnects, adjustConnectsInputSchema } from '../admin/adjust-connects.ts';
import { expireLot, expireLotInputSchema } from '../admin/expire-lot.ts';
import { extendLot, extendLotInputSchema } from '../admin/extend-lot.ts';
import { getStats, getStatsInputSchema } from '../admin/get-stats.ts';
import { listFreelancers, listFreelancersInputSchema } from '../admin/list-freelancers.ts';
import {
  setLowBalanceThreshold,
  setLowBalanceThresholdInputSchema,
} from '../admin/set-low-balance-threshold.ts';
import { voidLot, voidLotInputSchema } from '../admin/void-lot.ts';
import { setAvailabilityBadge, setAvailabilityBadgeInputSchema } from '../badge/set-availability-badge.ts';
import { setBadgePrice, setBadgePriceInputSchema } from '../badge/set-badge-price.ts';
import { interactWithProposal, interactWithProposalInputSchema } from '../boosts/interact-with-proposal.ts';
import type { AppContext } from '../context.ts';
import { getLedgerReport, getLedgerReportInputSchema } from '../finance/get-ledger-report.ts';
import { cancelJob, cancelJobInputSchema } from '../jobs/cancel-job.ts';
import { getJob, getJobInputSchema } from '../jobs/get-job.ts';
import { hireFreelancer, hireFreelancerInputSchema } from '../jobs/hire-freelancer.ts';
import { listJobs, listJobsInputSchema } from '../jobs/list-jobs.ts';
import { postJob, postJobInputSchema } from '../jobs/post-job.ts';
import { addFreelancer, freshId, fund, jobsContext, T0, value } from '../jobs/test-kit.ts';
import { testCards } from '../payments/test-provider.ts';
import { changePlan, changePlanInputSchema } from '../plans/change-plan.ts';
import { schedulePolicy, schedulePolicyInputSchema } from '../policy/schedule-policy.ts';
import { withdrawPolicy, withdrawPolicyInputSchema } from '../policy/withdraw-policy.ts';
import { defaultPolicy } from '../../core/policy/eras.ts';
import { createPromoCode, createPromoCodeInputSchema } from '../promo/create-promo-code.ts';
import { listPromoCodes, listPromoCodesInputSchema } from '../promo/list-promo-codes.ts';
import { redeemPromoCode, redeemPromoCodeInputSchema } from '../promo/redeem-promo-code.ts';
import { getBidRange, getBidRangeInputSchema } from '../proposals/get-bid-range.ts';
import { listProposals, listProposalsInputSchema } from '../proposals/list-proposals.ts';
import { recordInterview, recordInterviewInputSchema } from '../proposals/record-interview.ts';
import { submitProposal, submitProposalInputSchema } from '../proposals/submit-proposal.ts';
import { withdrawProposal, withdrawProposalInputSchema } from '../proposals/withdraw-proposal.ts';
import { buyConnects, buyConnectsInputSchema } from '../purchases/buy-connects.ts';
import { getPurchase, getPurchaseInputSchema } from '../purchases/get-purchase.ts';
import { listPurchases, listPurchasesInputSchema } from '../purchases/list-purchases.ts';
import { refundPurchase, refundPurchaseInputSchema } from '../purchases/refund-purchase.ts';

/**
 * The input contract of the library: every use case validates its own input,
 * so a caller that skips the HTTP layer gets `validation_failed` with field
 * paths for bad input, never an exception, a database error or a write.
 */

/** Bad values by the kind of field they are tried on. */
const bad = {
  id: ['', 'a b/c', 'x'.repeat(65), 'café', 'a\nb', 42, null, ['fl-1'], {}],
  nonNegative: [-1, 1.5, 1e308, Number.NaN, '100', null, true],
  positive: [0, -1, 1.5, 1e308, Number.NaN, '5', null],
  bool: ['true', 1, null],
  enum: ['nope', '', 42, null],
  instant: [
    'yesterday',
    '2024-02-30T00:00:00Z',
    '2024-03-10T12:00:00',
    '2024-03-10T24:00:00Z',
    -1,
    1.5,
    true,
  ],
  text: ['', '   ', 'x'.repeat(201), 42, null],
  card: ['12', 'x'.repeat(101), '4242<4242>', 4242424242424242, null],
  key: ['', 'x'.repeat(201), 'clé', 'tab\there', 42, null],
  cursor: ['x'.repeat(201), 42, null],
} satisfies Record<string, readonly unknown[]>;
type Kind = keyof typeof bad;

/** The whole input replaced by something that is not an input object. */
const notAnObject: readonly unknown[] = [undefined, null, 'x', 42, [], true];

interface Fixture {
  /** A Freelancer Plus member with Connects, who submitted `proposalId` to `jobId`. */
  readonly freelancerId: string;
  readonly jobId: string;
  readonly proposalId: string;
  readonly purchaseId: string;
  readonly promoCode: string;
  /** A freelancer with Connects and no proposal yet. */
  readonly applicantId: string;
}

interface UseCaseCase {
  readonly run: (ctx: AppContext, input: never, now: number) => Promise<Result<unknown>>;
  readonly schema: z.ZodObject;
  /** A valid input that would write (or read) something real in the fixture. */
  readonly base: (f: Fixture) => Record<string, unknown>;
  /** Every field of the schema, with the kind of bad values to try (or the values themselves). */
  readonly fields: Readonly<Record<string, Kind | readonly unknown[]>>;
}

const facts = {
  profileCompletenessPct: 100,
  availabilityUpdatedAt: T0,
  proposalsMatchingSkills: true,
  tosViolationAt: [],
  hasJobSuccessScore: false,
  lastActiveAt: T0,
};

/** Every use case, by its exported name. The test below checks this list against the modules' exports. */
const useCases: Record<string, UseCaseCase> = {
  registerFreelancer: {
    run: registerFreelancer,
    schema: registerFreelancerInputSchema,
    base: () => ({ id: freshId('fl'), name: 'Ada', registeredAt: '2025-06-01T00:00:00Z' }),
    fields: { id: 'id', name: 'text', registeredAt: 'instant' },
  },
  getFreelancer: {
    run: getFreelancer,
    schema: getFreelancerInputSchema,
    base: (f) => ({ freelancerId: f.freelancerId }),
    fields: { freelancerId: 'id' },
  },
  getBalance: {
    run: getBalance,
    schema: getBalanceInputSchema,
    base: (f) => ({ freelancerId: f.freelancerId, asOf: T0 }),
    fields: { freelancerId: 'id', asOf: [...bad.instant, 1e308, null] },
  },
  reportFacts: {
    run: reportFacts,
    schema: reportFactsInputSchema,
    base: (f) => ({ freelancerId: f.freelancerId, facts }),
    fields: {
      freelancerId: 'id',
      facts: [null, 'x', {}, { ...facts, profileCompletenessPct: -1 }, { ...facts, extra: 1 }],
    },
  },
  completeCertification: {
    run: completeCertification,
    schema: completeCertificationInputSchema,
    base: (f) => ({ freelancerId: f.freelancerId, certificationId: 'cert-1' }),
    fields: { freelancerId: 'id', certificationId: 'id' },
  },
  adjustConnects: {
    run: adjustConnects,
    schema: adjustConnectsInputSchema,
    base: (f) => ({
      freelancerId: f.freelancerId,
      connects: 5,
      reason: 'support case',
      idempotencyKey: 'adj-1',
    }),
    fields: {
      freelancerId: 'id',
      connects: [0, 1.5, 1e308, -1e308, Number.NaN, '5', null],
      reason: 'text',
      expiresAt: bad.instant,
      idempotencyKey: 'key',
    },
  },
  voidLot: {
    run: voidLot,
    schema: voidLotInputSchema,
    base: (f) => ({
      freelancerId: f.freelancerId,
      lotNo: 1,
      reason: 'promo by mistake',
      idempotencyKey: 'vl-1',
    }),
    fields: { freelancerId: 'id', lotNo: 'positive', reason: 'text', idempotencyKey: 'key' },
  },
  expireLot: {
    run: expireLot,
    schema: expireLotInputSchema,
    base: (f) => ({
      freelancerId: f.freelancerId,
      lotNo: 1,
      reason: 'campaign over',
      idempotencyKey: 'el-1',
    }),
    fields: { freelancerId: 'id', lotNo: 'positive', reason: 'text', idempotencyKey: 'key' },
  },
  setLowBalanceThreshold: {
    run: setLowBalanceThreshold,
    schema: setLowBalanceThresholdInputSchema,
    base: (f) => ({ freelancerId: f.freelancerId, connects: 25 }),
    fields: { freelancerId: 'id', connects: [-1, 1.5, 1e308, Number.NaN, '5', true] },
  },
  extendLot: {
    run: extendLot,
    schema: extendLotInputSchema,
    base: (f) => ({
      freelancerId: f.freelancerId,
      lotNo: 1,
      reason: 'outage',
      expiresAt: '2030-01-01T00:00:00Z',
      idempotencyKey: 'xl-1',
    }),
    fields: {
      freelancerId: 'id',
      lotNo: 'positive',
      reason: 'text',
      expiresAt: bad.instant,
      idempotencyKey: 'key',
    },
  },
  getStats: {
    run: getStats,
    schema: getStatsInputSchema,
    base: () => ({ bucket: 'day' }),
    fields: { bucket: 'enum', from: 'nonNegative', until: 'positive' },
  },
  listFreelancers: {
    run: listFreelancers,
    schema: listFreelancersInputSchema,
    base: () => ({ limit: 10 }),
    fields: { prefix: 'id', limit: 'positive', cursor: 'id' },
  },
  setBadgePrice: {
    run: setBadgePrice,
    schema: setBadgePriceInputSchema,
    base: () => ({ weeklyPriceConnects: 2 }),
    fields: { weeklyPriceConnects: [...bad.nonNegative, 1001] },
  },
  setAvailabilityBadge: {
    run: setAvailabilityBadge,
    schema: setAvailabilityBadgeInputSchema,
    base: (f) => ({ freelancerId: f.freelancerId, on: true, weeklyMaxConnects: 5 }),
    fields: { freelancerId: 'id', on: 'bool', weeklyMaxConnects: [...bad.nonNegative, 1001] },
  },
  interactWithProposal: {
    run: interactWithProposal,
    schema: interactWithProposalInputSchema,
    base: (f) => ({ interactionId: 'ix-1', proposalId: f.proposalId, kind: 'opens' }),
    fields: { interactionId: 'id', proposalId: 'id', kind: 'enum' },
  },
  postJob: {
    run: postJob,
    schema: postJobInputSchema,
    base: () => ({ id: freshId('job'), clientId: 'client', budgetCents: 60_000 }),
    fields: {
      id: 'id',
      clientId: 'id',
      budgetCents: 'nonNegative',
      hourly: 'bool',
      connectsRequired: [...bad.nonNegative, 10_001],
      enterprise: 'bool',
    },
  },
  hireFreelancer: {
    run: hireFreelancer,
    schema: hireFreelancerInputSchema,
    base: (f) => ({ proposalId: f.proposalId }),
    fields: { proposalId: 'id' },
  },
  getJob: {
    run: getJob,
    schema: getJobInputSchema,
    base: (f) => ({ jobId: f.jobId, viewerFreelancerId: f.freelancerId }),
    fields: { jobId: 'id', viewerFreelancerId: 'id', withBidRange: 'bool' },
  },
  cancelJob: {
    run: cancelJob,
    schema: cancelJobInputSchema,
    base: (f) => ({ jobId: f.jobId, reason: 'client' }),
    fields: { jobId: 'id', reason: 'enum' },
  },
  listJobs: {
    run: listJobs,
    schema: listJobsInputSchema,
    base: () => ({ status: 'open', limit: 10 }),
    fields: { status: 'enum', limit: 'positive', cursor: 'cursor' },
  },
  changePlan: {
    run: changePlan,
    schema: changePlanInputSchema,
    base: (f) => ({ freelancerId: f.freelancerId, plan: 'basic', card: testCards.succeeds }),
    fields: { freelancerId: 'id', plan: 'enum', card: 'card' },
  },
  createPromoCode: {
    run: createPromoCode,
    schema: createPromoCodeInputSchema,
    base: () => ({
      code: `NEW${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
      connects: 10,
      validFrom: '2025-01-01T00:00:00Z',
      validUntil: '2027-01-01T00:00:00Z',
      maxRedemptions: 10,
    }),
    fields: {
      code: ['', 'a b', 'x'.repeat(41), '<script>', 42, null],
      connects: 'positive',
      validFrom: bad.instant,
      validUntil: bad.instant,
      maxRedemptions: 'positive',
      lotLifetimeDays: 'positive',
    },
  },
  listPromoCodes: {
    run: listPromoCodes,
    schema: listPromoCodesInputSchema,
    base: () => ({ status: 'all' }),
    fields: { status: 'enum', limit: 'positive', cursor: [42, null, 'x'.repeat(101)] },
  },
  redeemPromoCode: {
    run: redeemPromoCode,
    schema: redeemPromoCodeInputSchema,
    base: (f) => ({ freelancerId: f.freelancerId, code: f.promoCode }),
    fields: { freelancerId: 'id', code: [42, null, 'x'.repeat(101)] },
  },
  getBidRange: {
    run: getBidRange,
    schema: getBidRangeInputSchema,
    base: (f) => ({ jobId: f.jobId, freelancerId: f.freelancerId }),
    fields: { jobId: 'id', freelancerId: 'id' },
  },
  listProposals: {
    run: listProposals,
    schema: listProposalsInputSchema,
    base: (f) => ({ freelancerId: f.freelancerId }),
    fields: { freelancerId: 'id', jobId: 'id', limit: 'positive', cursor: 'cursor' },
  },
  recordInterview: {
    run: recordInterview,
    schema: recordInterviewInputSchema,
    base: (f) => ({ proposalId: f.proposalId }),
    fields: { proposalId: 'id' },
  },
  submitProposal: {
    run: submitProposal,
    schema: submitProposalInputSchema,
    base: (f) => ({
      proposalId: freshId('prop'),
      jobId: f.jobId,
      freelancerId: f.applicantId,
      bidCents: 50_000,
    }),
    fields: {
      proposalId: 'id',
      jobId: 'id',
      freelancerId: 'id',
      bidCents: 'nonNegative',
      via: 'enum',
      boostConnects: 'positive',
    },
  },
  withdrawProposal: {
    run: withdrawProposal,
    schema: withdrawProposalInputSchema,
    base: (f) => ({ proposalId: f.proposalId, freelancerId: f.freelancerId }),
    fields: { proposalId: 'id', freelancerId: 'id' },
  },
  buyConnects: {
    run: buyConnects,
    schema: buyConnectsInputSchema,
    base: (f) => ({
      freelancerId: f.freelancerId,
      purchaseId: freshId('pu'),
      connects: 20,
      card: testCards.succeeds,
    }),
    fields: {
      freelancerId: 'id',
      purchaseId: 'id',
      // Out-of-range and fractional counts are the policy's to refuse (purchase_out_of_range).
      connects: ['20', null, true, Number.NaN, Number.POSITIVE_INFINITY],
      card: 'card',
      jurisdiction: ['X', 'D E', 'US-CALIFORNIA', 42, null],
    },
  },
  getPurchase: {
    run: getPurchase,
    schema: getPurchaseInputSchema,
    base: (f) => ({ freelancerId: f.freelancerId, purchaseId: f.purchaseId }),
    fields: { freelancerId: 'id', purchaseId: 'id' },
  },
  getLedgerReport: {
    run: getLedgerReport,
    schema: getLedgerReportInputSchema,
    base: () => ({ month: '2020-01' }),
    fields: { month: ['2026-13', '2026-1', '1999-12', '2026-11-01', '', 202611, null] },
  },
  listPurchases: {
    run: listPurchases,
    schema: listPurchasesInputSchema,
    base: (f) => ({ freelancerId: f.freelancerId }),
    fields: { freelancerId: 'id', status: 'enum', limit: 'positive', cursor: 'cursor' },
  },
  refundPurchase: {
    run: refundPurchase,
    schema: refundPurchaseInputSchema,
    base: (f) => ({ freelancerId: f.freelancerId, purchaseId: f.purchaseId, reason: 'chargeback' }),
    fields: { freelancerId: 'id', purchaseId: 'id', reason: 'text' },
  },
};

const futurePolicy = {
  ...defaultPolicy,
  id: 'future-policy',
  effectiveFrom: new Date(T0 + 365 * 86_400_000).toISOString(),
};

Object.assign(useCases, {
  schedulePolicy: {
    run: schedulePolicy,
    schema: schedulePolicyInputSchema,
    base: () => ({ policy: futurePolicy, note: 'why', scheduledBy: 'test', replace: false }),
    fields: {
      policy: [null, 'x', [], {}, { ...futurePolicy, surprise: 1 }, { ...futurePolicy, refundMode: 'never' }],
      note: ['x'.repeat(501), 42],
      scheduledBy: 'text',
      replace: ['yes', 1, null],
    },
  },
  withdrawPolicy: {
    run: withdrawPolicy,
    schema: withdrawPolicyInputSchema,
    base: () => ({ id: 'future-policy', withdrawnBy: 'test' }),
    fields: { id: ['', 'x'.repeat(65), 42, null], withdrawnBy: 'text' },
  },
} satisfies Record<string, UseCaseCase>);

/**
 * Exported functions that take the context first but are not use cases with
 * an input object: scheduler steps and helpers of other use cases. Their
 * arguments come from the engine itself (an instant, a limit it asserts).
 */
const notUseCases = new Set([
  'chargeAvailabilityBadges',
  'chargeDueBadges',
  'chargePlan',
  'closeDueAuctions',
  'executeLotOp',
  'inTransaction',
  'projectDueCaps',
  'readBalance',
  'refundUnused',
  'renewAccount',
  'renewCappedFirst',
  'renewDue',
  'sweepAll',
  'tick',
  'upgradeToPlus',
]);

const appDir = fileURLToPath(new URL('..', import.meta.url));

function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const list = /\(([^)]*)\)/.exec(fn.toString())?.[1] ?? '';
  return list
    .split(',')
    .map((p) => p.split('=')[0]?.trim() ?? '')
    .filter((p) => p !== '');
}

/** Every exported function of src/app whose first parameter is the context, by name. */
async function contextFunctions(): Promise<Map<string, string[]>> {
  const files = readdirSync(appDir, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('test-kit.ts'),
  );
  const found = new Map<string, string[]>();
  for (const file of files) {
    const exports = (await import(join(appDir, file))) as Record<string, unknown>;
    for (const [name, exported] of Object.entries(exports)) {
      if (typeof exported !== 'function') continue;
      const params = parameterNames(exported as (...args: never[]) => unknown);
      if (params[0] === 'ctx') found.set(name, params);
    }
  }
  return found;
}

describe('the use case registry', () => {
  it('has a case for every exported use case, and every field of its schema', async () => {
    const found = await contextFunctions();
    // A use case is (ctx, input, now): its input is an object the caller builds.
    const inputTaking = [...found].filter(([, p]) => /^(input|request)$/.test(p[1] ?? ''));
    expect(inputTaking.map(([name]) => name).sort()).toEqual(Object.keys(useCases).sort());
    const others = [...found.keys()].filter((name) => !(name in useCases)).sort();
    expect(others).toEqual([...notUseCases].sort());
    for (const [name, c] of Object.entries(useCases)) {
      expect(Object.keys(c.fields).sort(), name).toEqual(Object.keys(c.schema.shape).sort());
    }
  });
});

async function rowCounts(client: SqlClient): Promise<Record<string, number>> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`);
    counts[name] = rows[0]?.n ?? -1;
  }
  return counts;
}

/** Each bad input with a label: the field it breaks (undefined for the whole input) and how. */
function badInputs(c: UseCaseCase, base: Record<string, unknown>) {
  const inputs: { label: string; field: string | undefined; input: unknown }[] = [];
  for (const whole of notAnObject)
    inputs.push({ label: `input ${String(whole)}`, field: undefined, input: whole });
  inputs.push({ label: 'unknown field', field: undefined, input: { ...base, surprise: 1 } });
  for (const [field, kind] of Object.entries(c.fields)) {
    const values = typeof kind === 'string' ? bad[kind] : kind;
    for (const v of values) {
      inputs.push({
        label: `${field}=${JSON.stringify(v) ?? String(v)}`,
        field,
        input: { ...base, [field]: v },
      });
    }
    const shape = c.schema.shape as Record<string, z.ZodType>;
    if (shape[field]?.safeParse(undefined).success === false) {
      const { [field]: _missing, ...rest } = base;
      inputs.push({ label: `${field} missing`, field, input: rest });
    }
  }
  return inputs;
}

describe.each(testEngines)('use cases refuse bad input on $name', (engine) => {
  let opened: OpenedEngine;
  let ctx: AppContext;
  let fixture: Fixture;
  const now = T0 + 1000;

  beforeAll(async () => {
    opened = await engine.open();
    ctx = jobsContext(opened.store);
    const freelancerId = await addFreelancer(opened.store, 'plus');
    await fund(opened.store, freelancerId, 200, T0);
    const jobId = freshId('job');
    value(await postJob(ctx, { id: jobId, clientId: 'client', budgetCents: 60_000 }, T0));
    const proposalId = freshId('prop');
    value(await submitProposal(ctx, { proposalId, jobId, freelancerId, bidCents: 50_000 }, T0));
    const purchaseId = freshId('pu');
    value(await buyConnects(ctx, { freelancerId, purchaseId, connects: 20, card: testCards.succeeds }, T0));
    const promoCode = 'WELCOME10';
    value(
      await createPromoCode(
        ctx,
        {
          code: promoCode,
          connects: 10,
          validFrom: '2025-01-01T00:00:00Z',
          validUntil: '2027-01-01T00:00:00Z',
          maxRedemptions: 5,
        },
        T0,
      ),
    );
    const applicantId = await addFreelancer(opened.store);
    await fund(opened.store, applicantId, 50, T0);
    fixture = { freelancerId, jobId, proposalId, purchaseId, promoCode, applicantId };
  });
  afterAll(async () => {
    await opened.cleanup();
  });

  it.each(Object.keys(useCases))(
    '%s: validation_failed with field paths, no throw, no write',
    async (name) => {
      const c = useCases[name] as UseCaseCase;
      const base = c.base(fixture);
      expect(c.schema.safeParse(base).success, `${name}'s base input is valid`).toBe(true);
      const before = await rowCounts(opened.client);
      const wrong: string[] = [];
      for (const { label, field, input } of badInputs(c, base)) {
        let result: Result<unknown>;
        try {
          result = await c.run(ctx, input as never, now);
        } catch (error) {
          wrong.push(`${label}: threw ${String(error)}`);
          continue;
        }
        if (result.ok || result.error.code !== 'validation_failed') {
          wrong.push(`${label}: ${result.ok ? 'ok' : result.error.code}`);
          continue;
        }
        const issues = result.error.details?.['issues'] as { in: string; path: string }[] | undefined;
        const named =
          field === undefined || issues?.some((i) => i.path === field || i.path.startsWith(`${field}.`));
        if (issues === undefined || issues.length === 0 || issues[0]?.in !== 'input' || named !== true) {
          wrong.push(`${label}: issues ${JSON.stringify(issues)}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(await rowCounts(opened.client)).toEqual(before);
    },
  );
});
