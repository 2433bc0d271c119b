import { createRoute, z } from '@hono/zod-openapi';
import { getPurchase } from '../../app/purchases/get-purchase.ts';
import { bearerSecurity, requireRoleOr } from '../auth.ts';
import { fail, unwrap } from '../errors.ts';
import { renderReceipt } from '../receipts/receipt-page.ts';
import { errorResponses, idSchema } from '../schemas.ts';
import type { RouteModule } from '../services.ts';

/** A printable receipt for one purchase of Connects (docs/finance.md, "Receipts"). */

const receiptRoute = createRoute({
  method: 'get',
  path: '/v1/freelancers/{id}/purchases/{purchaseId}/receipt',
  operationId: 'getPurchaseReceipt',
  tags: ['purchases'],
  summary: 'A printable HTML receipt for one purchase (admin or the freelancer).',
  description:
    'The marketplace name (CONNECTS_MARKETPLACE_NAME), the Connects bought, unit price, tax, total ' +
    'charged, date and purchase id; a refunded purchase says so. A declined attempt has no receipt: ' +
    'it is purchase_not_found, like an unknown purchase or another freelancer’s.',
  security: bearerSecurity,
  middleware: [requireRoleOr('id', 'support', 'finance')] as const,
  request: {
    params: z.strictObject({
      id: idSchema.openapi({ param: { name: 'id', in: 'path' }, description: 'The freelancer id.' }),
      purchaseId: idSchema.openapi({
        param: { name: 'purchaseId', in: 'path' },
        description: 'The purchase id.',
      }),
    }),
  },
  responses: {
    200: {
      description: 'The receipt, a self-contained HTML page.',
      content: { 'text/html': { schema: z.string() } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

// The page needs nothing but its own inline style: no scripts, no requests.
const RECEIPT_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

export const purchaseReceiptRoutes: RouteModule = (app, { app: ctx, config, clock }) => {
  app.openapi(receiptRoute, async (c) => {
    const { id, purchaseId } = c.req.valid('param');
    const purchase = unwrap(await getPurchase(ctx, { freelancerId: id, purchaseId }, clock.now()));
    if (purchase.status === 'declined') {
      const message = `Purchase ${purchaseId} was declined: no Connects were sold, so there is no receipt.`;
      fail('purchase_not_found', message, { freelancerId: id, purchaseId });
    }
    c.header('content-security-policy', RECEIPT_CSP);
    c.header('cache-control', 'private, no-store');
    return c.html(renderReceipt(config.marketplaceName, purchase), 200);
  });
};
