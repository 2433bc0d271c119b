import { createRoute, z } from '@hono/zod-openapi';
import { getLedgerReport, spendUses } from '../../app/finance/get-ledger-report.ts';
import { reportCsv, wireReport } from '../../app/finance/report-csv.ts';
import { reportMonthSchema } from '../../app/finance/report-month.ts';
import { lotSources } from '../../core/types.ts';
import { bearerSecurity, requireRole } from '../auth.ts';
import { unwrap } from '../errors.ts';
import { errorResponses, isoInstantSchema } from '../schemas.ts';
import type { RouteModule } from '../services.ts';

/** The monthly ledger report (docs/finance.md): the roll-forward of Connects and their value at cost. */

const amountSchema = z.object({
  connects: z.int(),
  cents: z.int().openapi({ description: 'Value at cost: Connects x their lot’s unit cost.' }),
});
const splitSchema = z
  .object({ paid: amountSchema, free: amountSchema, total: amountSchema })
  .openapi('ReportLine');
const bySchema = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, splitSchema])) as Record<K, typeof splitSchema>);

const reportSchema = z
  .object({
    month: z.string(),
    from: isoInstantSchema,
    until: isoInstantSchema,
    asOf: isoInstantSchema,
    currency: z.literal('USD'),
    opening: splitSchema,
    issued: z.object({ bySource: bySchema(lotSources), total: splitSchema }),
    spent: z.object({ byUse: bySchema(spendUses), total: splitSchema }),
    expired: splitSchema.openapi({ description: 'Breakage: Connects that expired unspent (positive).' }),
    refunds: splitSchema.openapi({ description: 'Spent Connects given back (signed).' }),
    chargebacks: splitSchema.openapi({
      description: 'Unspent purchased Connects removed by a purchase refund.',
    }),
    adjustments: splitSchema.openapi({ description: 'Operator corrections (signed).' }),
    closing: splitSchema,
    check: amountSchema.openapi({
      description: 'closing - (opening + issued - spent - expired + the rest): 0.',
    }),
    held: z.object({ opening: splitSchema, closing: splitSchema }),
    deferredRevenue: z.object({ openingCents: z.int(), closingCents: z.int() }),
    revenue: z.object({
      spendCents: z.int(),
      refundedCents: z.int(),
      breakageCents: z.int(),
      totalCents: z.int(),
    }),
    memo: z.object({ forfeitedConnects: z.int(), entries: z.int(), lateEntries: z.int() }),
  })
  .openapi('LedgerReport');

const ledgerReportRoute = createRoute({
  method: 'get',
  path: '/v1/admin/reports/ledger',
  operationId: 'getLedgerReport',
  tags: ['admin'],
  summary:
    "One UTC calendar month's roll-forward of Connects and their value at cost, paid and free (admin).",
  description:
    'By the entries’ effective time. opening + issued - spent - expired + refunds + chargebacks + ' +
    'adjustments = closing, in Connects and in cents; check is closing minus that and is always 0. ' +
    'Deferred revenue is the unspent paid Connects at cost; revenue is recognised on spend and on ' +
    'breakage. A month that has not started by the service clock is 422 report_month_in_future. ' +
    'format=csv (or Accept: text/csv) gives the same lines as CSV (docs/finance.md).',
  security: bearerSecurity,
  middleware: [requireRole('finance')] as const,
  request: {
    query: z.object({
      month: reportMonthSchema.openapi({ example: '2026-11', description: 'YYYY-MM, in UTC.' }),
      format: z.enum(['json', 'csv']).optional(),
    }),
  },
  responses: {
    200: {
      description: 'The report.',
      content: {
        'application/json': { schema: reportSchema },
        'text/csv': { schema: z.string().openapi({ description: 'One row per line of the report.' }) },
      },
    },
    ...errorResponses(400, 401, 403, 422),
  },
});

export const adminReportRoutes: RouteModule = (app, { reads, clock }) => {
  app.openapi(ledgerReportRoute, async (c) => {
    const { month, format } = c.req.valid('query');
    // The month's figures may come from the read replica: a report reads, and lag only delays it.
    const report = unwrap(await getLedgerReport(reads.app, { month }, clock.now()));
    const csv = format === 'csv' || (format === undefined && c.req.header('accept') === 'text/csv');
    if (csv) {
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="ledger-${report.month}.csv"`);
      return c.body(reportCsv(report), 200);
    }
    return c.json(wireReport(report), 200);
  });
};
