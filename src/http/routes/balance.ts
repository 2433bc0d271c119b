import { createRoute, z } from '@hono/zod-openapi';
import { requireFreelancer } from '../../app/accounts/freelancer-rows.ts';
import { getBalance } from '../../app/accounts/get-balance.ts';
import { lotUnitCosts } from '../../app/finance/lot-costs.ts';
import type { Result } from '../../core/errors.ts';
import { compareConsumption, isSpendable } from '../../core/ledger/lot-order.ts';
import type { Instant } from '../../core/time.ts';
import type { Lot } from '../../core/types.ts';
import { bearerSecurity, requireRoleOr } from '../auth.ts';
import { unwrap } from '../errors.ts';
import { errorResponses, freelancerIdParams, instantInputSchema, isoInstantSchema } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { iso, lotSchema, wireLot } from './freelancers-wire.ts';

/**
 * What a freelancer holds: the balance now or at a past instant (rules.md 1.2,
 * 1.5 "as of", 7), and the per-lot breakdown with expiry dates.
 */

const balanceViewSchema = z
  .object({
    freelancerId: z.string(),
    asOf: isoInstantSchema,
    balance: z.int().openapi({ description: 'available + held.' }),
    available: z.int().openapi({ description: 'Spendable now.' }),
    held: z.int().openapi({ description: 'Reserved by active holds (boost bids).' }),
    expiringWithin30Days: z
      .int()
      .openapi({ description: 'Available Connects in lots that expire within 30 days of asOf.' }),
  })
  .openapi('BalanceView');

const balanceRoute = createRoute({
  method: 'get',
  path: '/v1/freelancers/{id}/balance',
  operationId: 'getBalance',
  tags: ['ledger'],
  summary: 'Balance, available, held and expiring within 30 days, now or as of a past instant.',
  description:
    'The balance is exact at every instant, whether or not expiries were swept yet. asOf may not lie ' +
    "after the service's current time (the future depends on what happens until then). A past asOf " +
    'replays the history up to it, at most 20,000 entries (422 history_too_long beyond).',
  security: bearerSecurity,
  middleware: [requireRoleOr('id', 'support', 'finance')] as const,
  request: {
    params: freelancerIdParams,
    query: z.object({ asOf: instantInputSchema.optional() }),
  },
  responses: {
    200: { description: 'The balance.', content: { 'application/json': { schema: balanceViewSchema } } },
    ...errorResponses(400, 401, 403, 404, 422),
  },
});

const lotStatuses = ['active', 'all'] as const;

const lotsRoute = createRoute({
  method: 'get',
  path: '/v1/freelancers/{id}/lots',
  operationId: 'listLots',
  tags: ['ledger'],
  summary: "The freelancer's lots with their expiry dates, soonest expiry first.",
  description:
    'status=active (default): lots holding Connects that can be spent now, in the order a debit draws ' +
    'from them. status=all: every lot ever issued, in issue order, each with its state.',
  security: bearerSecurity,
  middleware: [requireRoleOr('id', 'support', 'finance')] as const,
  request: {
    params: freelancerIdParams,
    query: z.object({ status: z.enum(lotStatuses).optional() }),
  },
  responses: {
    200: {
      description: 'The lots.',
      content: {
        'application/json': {
          schema: z
            .object({
              asOf: isoInstantSchema,
              lots: z.array(
                lotSchema.extend({
                  state: z.enum(['active', 'used', 'expired']).openapi({
                    description:
                      'active: Connects left and spendable; used: nothing left; expired: past expiresAt.',
                  }),
                  unitCostCents: z.int().openapi({
                    description:
                      'Cost basis in cents per Connect (docs/finance.md): the purchase price for a paid lot ' +
                      '(tax apart), the returned Connects’ cost for a fresh refund lot, 0 for a free lot.',
                  }),
                }),
              ),
            })
            .openapi('LotList'),
        },
      },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** The use case's issues name the query string here, where asOf came from. */
function fromQuery<T>(result: Result<T>): Result<T> {
  if (result.ok || result.error.code !== 'validation_failed') return result;
  const issues = result.error.details?.['issues'];
  if (!Array.isArray(issues)) return result;
  const details = { ...result.error.details, issues: issues.map((i: object) => ({ ...i, in: 'query' })) };
  return { ok: false, error: { ...result.error, details } };
}

function lotState(lot: Lot, t: Instant): 'active' | 'used' | 'expired' {
  if (lot.expiresAt <= t) return 'expired';
  return lot.remaining > 0 ? 'active' : 'used';
}

export const balanceRoutes: RouteModule = (app, { app: ctx, reads, store, clock }) => {
  app.openapi(balanceRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { asOf } = c.req.valid('query');
    const input = { freelancerId: id, ...(asOf === undefined ? {} : { asOf }) };
    const now = clock.now();
    // A balance in the past may come from the replica; the current one (asOf absent or now) is exact.
    const from = asOf !== undefined && asOf < now ? reads.app : ctx;
    const view = unwrap(fromQuery(await getBalance(from, input, now)));
    return c.json(
      {
        freelancerId: view.freelancerId,
        asOf: iso(view.asOf),
        balance: view.balance,
        available: view.available,
        held: view.held,
        expiringWithin30Days: view.expiringSoon,
      },
      200,
    );
  });

  app.openapi(lotsRoute, async (c) => {
    const { id } = c.req.valid('param');
    const now = clock.now();
    const all = c.req.valid('query').status === 'all';
    unwrap(await requireFreelancer(store, id));
    const lots = await store.lots(id, { withRemaining: !all });
    const shown = all
      ? lots
      : lots.filter((lot) => isSpendable(lot, now) && lot.remaining > 0).sort(compareConsumption);
    const costs = await lotUnitCosts(
      store,
      id,
      shown.map((lot) => lot.lotNo),
    );
    const wired = shown.map((lot) => ({
      ...wireLot(lot),
      state: lotState(lot, now),
      unitCostCents: costs.get(lot.lotNo) ?? 0,
    }));
    return c.json({ asOf: iso(now), lots: wired }, 200);
  });
};
