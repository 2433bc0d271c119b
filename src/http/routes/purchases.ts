import { createRoute, z } from '@hono/zod-openapi';
import { cardSchema as appCardSchema } from '../../app/input/cards.ts';
import { requireFreelancer } from '../../app/accounts/freelancer-rows.ts';
import { buyConnects, buyConnectsInputSchema } from '../../app/purchases/buy-connects.ts';
import { listPurchases, MAX_PURCHASES_PAGE } from '../../app/purchases/list-purchases.ts';
import { quotePurchase } from '../../app/purchases/purchase-quote.ts';
import { purchaseStatuses, type Purchase } from '../../app/purchases/purchase-rows.ts';
import { refundPurchase } from '../../app/purchases/refund-purchase.ts';
import { jurisdictionSchema, noTax } from '../../app/purchases/tax.ts';
import { policyAt } from '../../core/policy/timeline.ts';
import { bearerSecurity, requireAdmin, requireAdminOr, requireRoleOr } from '../auth.ts';
import { unwrap } from '../errors.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import { errorResponses, freelancerIdParams, idSchema, isoInstantSchema } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { iso, isoOrNull } from './freelancers-wire.ts';
import { idempotentWrite, REPLAYED_HEADER } from './idempotent-write.ts';
import { runUseCase } from './use-case.ts';

/** Buying Connects (rules.md 3.3), the purchase history, and the operator's refund (chargeback). */

const cardSchema = appCardSchema.openapi({
  description: 'A card token, or a test card number with the test provider.',
  example: '4242424242424242',
});

/** The use case's fields; the freelancer comes from the path. */
const buyFields = buyConnectsInputSchema.shape;
const buyBody = z
  .strictObject({
    purchaseId: idSchema.openapi({
      description: 'Your id for this purchase: retrying it never charges twice.',
    }),
    connects: buyFields.connects.openapi({
      type: 'integer',
      description:
        "A whole number from the policy's minimum to its maximum (purchase_out_of_range otherwise).",
      example: 20,
    }),
    card: cardSchema,
    jurisdiction: buyFields.jurisdiction.openapi({ description: 'Tax jurisdiction, e.g. DE or US-CA.' }),
  })
  .openapi('BuyConnects');

export const purchaseSchema = z
  .object({
    freelancerId: z.string(),
    purchaseId: z.string(),
    status: z.enum(purchaseStatuses),
    policyId: z.string(),
    connects: z.int(),
    unitPriceCents: z.int(),
    priceCents: z.int(),
    taxJurisdiction: z.string().nullable(),
    taxRateBp: z.int().openapi({ description: 'Tax rate in basis points (1900 = 19%).' }),
    taxCents: z.int(),
    totalCents: z.int().openapi({ description: 'priceCents + taxCents: what the card was charged.' }),
    currency: z.literal('USD'),
    cardLast4: z.string(),
    chargeId: z.string().nullable(),
    declineReason: z.string().nullable(),
    lotNo: z.int().nullable(),
    expiresAt: isoInstantSchema.nullable(),
    createdAt: isoInstantSchema,
    refund: z
      .object({
        reason: z.string(),
        clawedBackConnects: z.int().openapi({ description: 'Unspent Connects removed from the lot.' }),
        requestedAt: isoInstantSchema,
        refundId: z.string().nullable(),
        refundedAt: isoInstantSchema.nullable(),
      })
      .nullable(),
  })
  .openapi('Purchase');

export const wirePurchase = (p: Purchase) => ({
  ...p,
  expiresAt: isoOrNull(p.expiresAt),
  createdAt: iso(p.createdAt),
  refund:
    p.refund === null
      ? null
      : { ...p.refund, requestedAt: iso(p.refund.requestedAt), refundedAt: isoOrNull(p.refund.refundedAt) },
});

const purchaseResultSchema = purchaseSchema
  .extend({
    replayed: z.boolean().openapi({ description: 'True when this answers a repeat of the same purchaseId.' }),
  })
  .openapi('PurchaseResult');

const buyRoute = createRoute({
  method: 'post',
  path: '/v1/freelancers/{id}/purchases',
  operationId: 'buyConnects',
  tags: ['purchases'],
  summary: 'Buys Connects: the card is charged, then a paid lot is created (admin or the freelancer).',
  description:
    'Idempotent by purchaseId: the same request again returns the original purchase with 200 and ' +
    'replayed: true (201 and replayed: false the first time; a declined card gives the same ' +
    'payment_declined again); another request with that purchaseId is idempotency_conflict. A transient payment ' +
    'failure (payment_unavailable, 503) grants and stores nothing: retry it as is.',
  security: bearerSecurity,
  middleware: [requireAdminOr('id')] as const,
  request: {
    params: freelancerIdParams,
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: buyBody } } },
  },
  responses: {
    201: { description: 'The purchase.', content: { 'application/json': { schema: purchaseResultSchema } } },
    200: {
      description: 'A repeat of the same purchase: the original, unchanged.',
      content: { 'application/json': { schema: purchaseResultSchema } },
    },
    ...errorResponses(400, 401, 402, 403, 404, 409, 413, 415, 422, 503),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/freelancers/{id}/purchases',
  operationId: 'listPurchases',
  tags: ['purchases'],
  summary: 'Purchases and declined attempts, newest first (admin or the freelancer).',
  security: bearerSecurity,
  middleware: [requireRoleOr('id', 'support', 'finance')] as const,
  request: {
    params: freelancerIdParams,
    query: z.object({
      status: z.enum(purchaseStatuses).optional(),
      cursor: z.string().min(1).max(200).optional(),
      limit: z.coerce
        .number()
        .pipe(z.int().min(1).max(MAX_PURCHASES_PAGE))
        .optional()
        .openapi({ type: 'integer', minimum: 1, maximum: MAX_PURCHASES_PAGE }),
    }),
  },
  responses: {
    200: {
      description: 'A page of purchases.',
      content: {
        'application/json': {
          schema: z
            .object({ purchases: z.array(purchaseSchema), nextCursor: z.string().nullable() })
            .openapi('PurchasePage'),
        },
      },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

const quoteRoute = createRoute({
  method: 'get',
  path: '/v1/freelancers/{id}/purchases/quote',
  operationId: 'quotePurchase',
  tags: ['purchases'],
  summary: 'What buying this many Connects would cost now, tax included, without buying.',
  security: bearerSecurity,
  middleware: [requireRoleOr('id', 'support')] as const,
  request: {
    params: freelancerIdParams,
    query: z.object({
      connects: z.coerce.number().openapi({ type: 'integer', example: 20 }),
      jurisdiction: jurisdictionSchema.optional(),
    }),
  },
  responses: {
    200: {
      description: 'The price.',
      content: {
        'application/json': {
          schema: z
            .object({
              connects: z.int(),
              unitPriceCents: z.int(),
              priceCents: z.int(),
              taxJurisdiction: z.string().nullable(),
              taxRateBp: z.int(),
              taxCents: z.int(),
              totalCents: z.int(),
            })
            .openapi('PurchaseQuote'),
        },
      },
    },
    ...errorResponses(400, 401, 403, 404, 422),
  },
});

const refundParams = z.strictObject({
  freelancerId: idSchema.openapi({ param: { name: 'freelancerId', in: 'path' } }),
  purchaseId: idSchema.openapi({ param: { name: 'purchaseId', in: 'path' } }),
});

const refundRoute = createRoute({
  method: 'post',
  path: '/v1/admin/purchases/{freelancerId}/{purchaseId}/refund',
  operationId: 'refundPurchase',
  tags: ['admin'],
  summary: 'Refunds a purchase (chargeback): removes its unspent Connects and returns the money (admin).',
  description:
    'A refunded purchase answers purchase_already_refunded. If the money refund fails after the Connects ' +
    'were removed, the answer is payment_unavailable and repeating the request retries only the money.',
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  request: {
    params: refundParams,
    headers: idempotencyHeaders,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({ reason: z.string().trim().min(1).max(200) }).openapi('RefundPurchase'),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'The refunded purchase.',
      content: { 'application/json': { schema: purchaseSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 503),
  },
});

export const purchaseRoutes: RouteModule = (app, { app: ctx, reads, clock, store, timeline, metrics }) => {
  app.openapi(buyRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const now = clock.now();
    const out = await idempotentWrite(c, { store, now, scope: id, request: { id, ...body } }, async () => {
      // The use case says whether it stored the purchase or found it stored (a repeat, or a concurrent twin
      // of the same request, on this server or another, that committed first).
      const purchase = await runUseCase(metrics, 'buy_connects', () =>
        buyConnects(ctx, { freelancerId: id, ...body }, now),
      );
      const replayed = purchase.replayed;
      if (replayed) c.header(REPLAYED_HEADER, 'true');
      const answer = { ...wirePurchase(purchase), replayed };
      return replayed ? { status: 200 as const, body: answer } : { status: 201 as const, body: answer };
    });
    return c.json(out.body, out.status);
  });

  app.openapi(listRoute, async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const page = unwrap(await listPurchases(reads.app, { freelancerId: id, ...q }, clock.now()));
    return c.json({ purchases: page.purchases.map(wirePurchase), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(quoteRoute, async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const f = unwrap(await requireFreelancer(store, id));
    const policy = policyAt(timeline, clock.now());
    const taxes = ctx.taxRates ?? noTax;
    return c.json(unwrap(quotePurchase(policy, f.plan, q.connects, taxes, q.jurisdiction)), 200);
  });

  app.openapi(refundRoute, async (c) => {
    const params = c.req.valid('param');
    const body = c.req.valid('json');
    const now = clock.now();
    const request = { ...params, ...body };
    const out = await idempotentWrite(c, { store, now, scope: params.freelancerId, request }, async () => {
      const purchase = await runUseCase(metrics, 'refund_purchase', () => refundPurchase(ctx, request, now));
      return { status: 200 as const, body: wirePurchase(purchase) };
    });
    return c.json(out.body, out.status);
  });
};
