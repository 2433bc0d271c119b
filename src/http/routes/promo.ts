import { createRoute, z } from '@hono/zod-openapi';
import {
  createPromoCode,
  MAX_LOT_LIFETIME_DAYS,
  MAX_PROMO_CONNECTS,
  MAX_PROMO_REDEMPTIONS,
} from '../../app/promo/create-promo-code.ts';
import { listPromoCodes, MAX_PROMO_CODES_PAGE } from '../../app/promo/list-promo-codes.ts';
import type { PromoCode } from '../../app/promo/promo-rows.ts';
import { redeemPromoCode } from '../../app/promo/redeem-promo-code.ts';
import { bearerSecurity, requireAdmin, requireAdminOr, requireRole } from '../auth.ts';
import { fail, unwrap } from '../errors.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import {
  errorResponses,
  freelancerIdParams,
  instantInputSchema,
  isoInstantSchema,
  wholeNumber,
} from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { iso } from './freelancers-wire.ts';
import { idempotentWrite } from './idempotent-write.ts';
import { runUseCase } from './use-case.ts';

/** Promo codes (rules.md 4): the operator creates and lists them, a freelancer redeems one once. */

const createBody = z
  .strictObject({
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{3,40}$/, 'must be 3 to 40 characters of A-Z 0-9 _ - (case-insensitive)')
      .openapi({ description: 'Stored upper-case; redeeming ignores case.', example: 'SPRING-2026' }),
    connects: wholeNumber(1, MAX_PROMO_CONNECTS),
    validFrom: instantInputSchema,
    validUntil: instantInputSchema.openapi({ description: 'Exclusive: redeemable strictly before it.' }),
    maxRedemptions: wholeNumber(1, MAX_PROMO_REDEMPTIONS),
    lotLifetimeDays: wholeNumber(1, MAX_LOT_LIFETIME_DAYS)
      .optional()
      .openapi({ description: "Lifetime of the granted lots; absent: the policy's lot lifetime." }),
  })
  .openapi('CreatePromoCode');

const promoCodeSchema = z
  .object({
    code: z.string(),
    connects: z.int(),
    validFrom: isoInstantSchema,
    validUntil: isoInstantSchema,
    maxRedemptions: z.int(),
    lotLifetimeDays: z.int().nullable(),
    createdAt: isoInstantSchema,
  })
  .openapi('PromoCode');

const wireCode = (p: PromoCode) => ({
  code: p.code,
  connects: p.connects,
  validFrom: iso(p.validFrom),
  validUntil: iso(p.validUntil),
  maxRedemptions: p.maxRedemptions,
  lotLifetimeDays: p.lotLifetimeDays,
  createdAt: iso(p.createdAt),
});

const redemptionSchema = z
  .object({
    code: z.string(),
    freelancerId: z.string(),
    connects: z.int().openapi({ description: "The code's amount." }),
    credited: z.int().openapi({ description: 'What reached the balance (less only under a holding cap).' }),
    lotNo: z.int().nullable(),
    expiresAt: isoInstantSchema,
    redeemedAt: isoInstantSchema,
  })
  .openapi('PromoRedemption');

const createCodeRoute = createRoute({
  method: 'post',
  path: '/v1/promo-codes',
  operationId: 'createPromoCode',
  tags: ['promo codes'],
  summary: 'Creates a promo code (admin).',
  description:
    'Idempotent by code: the same definition again returns the original; another definition of an ' +
    'existing code is promo_code_exists (codes never change once handed out).',
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  request: {
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: createBody } } },
  },
  responses: {
    201: { description: 'The code.', content: { 'application/json': { schema: promoCodeSchema } } },
    ...errorResponses(400, 401, 403, 409, 413, 415),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/promo-codes',
  operationId: 'listPromoCodes',
  tags: ['promo codes'],
  summary: 'Promo codes by code, with how often each was redeemed (admin).',
  security: bearerSecurity,
  middleware: [requireRole('support', 'finance')] as const,
  request: {
    query: z.object({
      status: z.enum(['active', 'all']).optional().openapi({ description: 'active: redeemable now.' }),
      cursor: z.string().min(1).max(100).optional(),
      limit: z.coerce
        .number()
        .pipe(z.int().min(1).max(MAX_PROMO_CODES_PAGE))
        .optional()
        .openapi({ type: 'integer', minimum: 1, maximum: MAX_PROMO_CODES_PAGE }),
    }),
  },
  responses: {
    200: {
      description: 'A page of codes.',
      content: {
        'application/json': {
          schema: z
            .object({
              codes: z.array(promoCodeSchema.extend({ redeemed: z.int() })),
              nextCursor: z.string().nullable(),
            })
            .openapi('PromoCodePage'),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

const redeemRoute = createRoute({
  method: 'post',
  path: '/v1/freelancers/{id}/promo-redemptions',
  operationId: 'redeemPromoCode',
  tags: ['promo codes'],
  summary: 'Redeems a promo code: a lot of its Connects (admin or the freelancer).',
  description:
    'Each distinct failure has its own code: promo_code_unknown, promo_code_not_yet_valid, ' +
    'promo_code_expired, promo_code_exhausted, promo_code_already_redeemed. With an Idempotency-Key a ' +
    'retry returns the original redemption instead of promo_code_already_redeemed.',
  security: bearerSecurity,
  middleware: [requireAdminOr('id')] as const,
  request: {
    params: freelancerIdParams,
    headers: idempotencyHeaders,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({ code: z.string().min(1).max(100) }).openapi('RedeemPromoCode'),
        },
      },
    },
  },
  responses: {
    201: { description: 'The redemption.', content: { 'application/json': { schema: redemptionSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

export const promoRoutes: RouteModule = (app, { app: ctx, reads, clock, store, metrics }) => {
  app.openapi(createCodeRoute, async (c) => {
    const body = c.req.valid('json');
    if (body.validUntil <= body.validFrom) {
      fail('validation_failed', 'Invalid request: body.validUntil: must be after validFrom', {
        issues: [{ in: 'body', path: 'validUntil', message: 'must be after validFrom' }],
      });
    }
    const now = clock.now();
    const out = await idempotentWrite(c, { store, now, scope: 'admin', request: body }, async () => {
      const input = { ...body, validFrom: iso(body.validFrom), validUntil: iso(body.validUntil) };
      return {
        status: 201 as const,
        body: wireCode(
          await runUseCase(metrics, 'create_promo_code', () => createPromoCode(ctx, input, now)),
        ),
      };
    });
    return c.json(out.body, out.status);
  });

  app.openapi(listRoute, async (c) => {
    const page = unwrap(await listPromoCodes(reads.app, c.req.valid('query'), clock.now()));
    const codes = page.codes.map((p) => ({ ...wireCode(p), redeemed: p.redeemed }));
    return c.json({ codes, nextCursor: page.nextCursor }, 200);
  });

  app.openapi(redeemRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { code } = c.req.valid('json');
    const now = clock.now();
    const out = await idempotentWrite(
      c,
      { store, now, scope: id, request: { id, code: code.trim().toUpperCase() } },
      async () => {
        const r = await runUseCase(metrics, 'redeem_promo_code', () =>
          redeemPromoCode(ctx, { freelancerId: id, code }, now),
        );
        return {
          status: 201 as const,
          body: { ...r, expiresAt: iso(r.expiresAt), redeemedAt: iso(r.redeemedAt) },
        };
      },
    );
    return c.json(out.body, out.status);
  });
};
