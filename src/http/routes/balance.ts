import { createRoute, z } from '@hono/zod-openapi';
import { requireFreelancer } from '../../app/accounts/freelancer-rows.ts';
import { compareConsumption, isSpendable } from '../../core/ledger/lot-order.ts';
import { MS_PER_DAY, type Instant } from '../../core/time.ts';
import type { Lot } from '../../core/types.ts';
import type { LedgerStore } from '../../store/store.ts';
import { bearerSecurity, requireAdminOr } from '../auth.ts';
import { fail, unwrap } from '../errors.ts';
import { errorResponses, freelancerIdParams, instantInputSchema, isoInstantSchema } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { iso, lotSchema, wireLot } from './freelancers-wire.ts';
import { readBalance } from '../../app/accounts/read-balance.ts';

/**
 * What a freelancer holds: the balance now or at a past instant (rules.md 1.2,
 * 1.5 "as of", 7), and the per-lot breakdown with expiry dates.
 */

/** "Expiring soon" on the balance: Connects in lots that expire within this window. */
export const EXPIRING_WINDOW_MS = 30 * MS_PER_DAY;

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
    "after the service's current time (the future depends on what happens until then).",
  security: bearerSecurity,
  middleware: [requireAdminOr('id')] as const,
  request: {
    params: freelancerIdParams,
    query: z.object({ asOf: instantInputSchema.optional() }),
  },
  responses: {
    200: { description: 'The balance.', content: { 'application/json': { schema: balanceViewSchema } } },
    ...errorResponses(400, 401, 403, 404),
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
  middleware: [requireAdminOr('id')] as const,
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

/** Available Connects at t (>= the last operation) in lots expiring before t + window, from current lots. */
function expiringNow(lots: readonly Lot[], t: Instant): number {
  let sum = 0;
  for (const lot of lots)
    if (isSpendable(lot, t) && lot.expiresAt < t + EXPIRING_WINDOW_MS) sum += lot.remaining;
  return sum;
}

/** The same at a past instant: what each lot held then, from the postings effective by then. */
async function expiringAsOf(store: LedgerStore, account: string, t: Instant): Promise<number> {
  const rows = await store.query<{ n: number | string }>(
    `SELECT coalesce(sum(p.amount), 0)::int8 AS n
     FROM entries e
     CROSS JOIN LATERAL jsonb_to_recordset(e.postings) AS p("lotNo" int4, amount int8)
     JOIN lots l ON l.account = e.account AND l.lot_no = p."lotNo"
     WHERE e.account = $1 AND e.effective_at <= $2
       AND l.issued_at <= $2 AND l.expires_at > $2 AND l.expires_at < $2 + $3::int8`,
    [account, t, EXPIRING_WINDOW_MS],
  );
  return Number(rows.rows[0]?.n ?? 0);
}

function lotState(lot: Lot, t: Instant): 'active' | 'used' | 'expired' {
  if (lot.expiresAt <= t) return 'expired';
  return lot.remaining > 0 ? 'active' : 'used';
}

export const balanceRoutes: RouteModule = (app, { app: ctx, store, clock }) => {
  app.openapi(balanceRoute, async (c) => {
    const { id } = c.req.valid('param');
    const now = clock.now();
    const asOf = c.req.valid('query').asOf ?? now;
    if (asOf > now) {
      fail('validation_failed', 'asOf cannot lie in the future.', {
        issues: [{ in: 'query', path: 'asOf', message: 'must not be after the current time' }],
        now: iso(now),
      });
    }
    unwrap(await requireFreelancer(store, id));
    const past = asOf < now;
    const balance = await readBalance(ctx, id, asOf, now);
    const expiring = past
      ? await expiringAsOf(store, id, asOf)
      : expiringNow(await store.lots(id, { withRemaining: true }), asOf);
    return c.json({ freelancerId: id, asOf: iso(asOf), ...balance, expiringWithin30Days: expiring }, 200);
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
    return c.json(
      { asOf: iso(now), lots: shown.map((lot) => ({ ...wireLot(lot), state: lotState(lot, now) })) },
      200,
    );
  });
};
