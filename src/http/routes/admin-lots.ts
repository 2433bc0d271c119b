import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { expireLot } from '../../app/admin/expire-lot.ts';
import { extendLot } from '../../app/admin/extend-lot.ts';
import { MAX_LOT_NO, type LotCorrectionResult } from '../../app/admin/lot-correction.ts';
import { voidLot } from '../../app/admin/void-lot.ts';
import { bearerSecurity, requireRole } from '../auth.ts';
import { withinSupportLimits } from '../support-limits.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import { errorResponses, idSchema, instantInputSchema, wholeNumber } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { balanceSchema, entrySchema, iso, wireBalance, wireEntry } from './freelancers-wire.ts';
import { idempotentWrite } from './idempotent-write.ts';
import { runUseCase } from './use-case.ts';

/**
 * Support's corrections of one lot of one freelancer (docs/operators.md):
 * void its unspent Connects or expire them now, each an entry with the
 * operator's reason. Send an Idempotency-Key to make a retry safe.
 */

const lotParams = z.strictObject({
  id: idSchema.openapi({ param: { name: 'id', in: 'path' }, description: 'The freelancer id.' }),
  lotNo: z.coerce
    .number()
    .pipe(wholeNumber(1, MAX_LOT_NO))
    .openapi({
      param: { name: 'lotNo', in: 'path' },
      type: 'integer',
      minimum: 1,
      maximum: MAX_LOT_NO,
      description: "The lot's number in the freelancer's account (as in its lots and entries).",
      example: 3,
    }),
});

const correctionBody = z
  .strictObject({
    reason: z.string().trim().min(1).max(200).openapi({
      description: 'Why (recorded on the entry), 1 to 200 characters.',
      example: 'promo granted by mistake',
    }),
  })
  .openapi('LotCorrection');

const correctionSchema = z
  .object({
    freelancerId: z.string(),
    lotNo: z.int(),
    entry: entrySchema.openapi({
      description: 'The entry that emptied the lot: adjustment (void) or expiry (expire now).',
    }),
    balance: balanceSchema.openapi({ description: 'The balance after the correction.' }),
  })
  .openapi('LotCorrectionResult');

const refusals =
  'Refused with lot_not_found (404), lot_is_paid, lot_is_held or lot_is_empty (409); nothing is written.';

function correctionRoute(action: 'void' | 'expire') {
  return createRoute({
    method: 'post',
    path: `/v1/admin/freelancers/{id}/lots/{lotNo}/${action}`,
    operationId: action === 'void' ? 'voidLot' : 'expireLot',
    tags: ['admin'],
    summary:
      action === 'void'
        ? "Voids a free lot's unspent Connects with a reason (admin)."
        : "Expires a free lot's unspent Connects now, with a reason (admin).",
    description:
      (action === 'void' ? 'Writes an adjustment entry. ' : 'Writes an expiry entry effective now. ') +
      `${refusals} With an Idempotency-Key a retry returns the original answer.`,
    security: bearerSecurity,
    middleware: [requireRole('support')] as const,
    request: {
      params: lotParams,
      headers: idempotencyHeaders,
      body: { required: true, content: { 'application/json': { schema: correctionBody } } },
    },
    responses: {
      200: {
        description: 'The correction.',
        content: { 'application/json': { schema: correctionSchema } },
      },
      ...errorResponses(400, 401, 403, 404, 409, 413, 415),
    },
  });
}

const extendBody = z
  .strictObject({
    reason: correctionBody.shape.reason,
    expiresAt: instantInputSchema.openapi({
      description: "The new expiry: after now and the lot's current expiry, at most 5 years after its issue.",
    }),
  })
  .openapi('LotExtension');

const extendRoute = createRoute({
  method: 'post',
  path: '/v1/admin/freelancers/{id}/lots/{lotNo}/extend',
  operationId: 'extendLot',
  tags: ['admin'],
  summary: "Moves a free lot's expiry later, with a reason (admin).",
  description:
    'Writes an adjustment entry of 0 Connects carrying the lot with its new expiry. An expiry that is not ' +
    `later, is past or is too distant is lot_expiry_invalid (422). ${refusals} With an Idempotency-Key a ` +
    'retry returns the original answer.',
  security: bearerSecurity,
  middleware: [requireRole('support')] as const,
  request: {
    params: lotParams,
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: extendBody } } },
  },
  responses: {
    200: { description: 'The extension.', content: { 'application/json': { schema: correctionSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

const wire = (r: LotCorrectionResult) => ({
  freelancerId: r.freelancerId,
  lotNo: r.lotNo,
  entry: wireEntry(r.entry),
  balance: wireBalance(r.balance),
});

export const adminLotRoutes: RouteModule = (app, { app: ctx, clock, store, metrics, config }) => {
  const useCases = { void: voidLot, expire: expireLot } as const;
  for (const action of ['void', 'expire'] as const) {
    app.openapi(correctionRoute(action), async (c) => {
      const { id, lotNo } = c.req.valid('param');
      const { reason } = c.req.valid('json');
      const now = clock.now();
      const request = { id, lotNo, reason };
      const out = await idempotentWrite(c, { store, now, scope: id, request }, async () => {
        const input = {
          freelancerId: id,
          lotNo,
          reason,
          idempotencyKey: c.var.idempotencyKey ?? `auto-${randomUUID()}`,
        };
        // A void or expire-now removes what the lot holds: that much counts against a support operator's limits.
        const lot = (await store.lots(id)).find((l) => l.lotNo === lotNo);
        const r = await withinSupportLimits(c, {
          store,
          limits: config.supportLimits,
          now,
          connects: lot?.remaining ?? 0,
          write: () => runUseCase(metrics, `${action}_lot`, () => useCases[action](ctx, input, now)),
          moved: (done) => (done.replayed ? 0 : done.entry.amount),
        });
        return { status: 200 as const, body: wire(r) };
      });
      return c.json(out.body, out.status);
    });
  }

  app.openapi(extendRoute, async (c) => {
    const { id, lotNo } = c.req.valid('param');
    const { reason, expiresAt } = c.req.valid('json');
    const now = clock.now();
    const request = { id, lotNo, reason, expiresAt: iso(expiresAt) };
    const out = await idempotentWrite(c, { store, now, scope: id, request }, async () => {
      const input = {
        freelancerId: id,
        lotNo,
        reason,
        expiresAt: iso(expiresAt),
        idempotencyKey: c.var.idempotencyKey ?? `auto-${randomUUID()}`,
      };
      const r = await runUseCase(metrics, 'extend_lot', () => extendLot(ctx, input, now));
      return { status: 200 as const, body: wire(r) };
    });
    return c.json(out.body, out.status);
  });
};
