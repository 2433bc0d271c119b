import { getBalance } from '../../app/accounts/get-balance.ts';
import { compareConsumption, isSpendable } from '../../core/ledger/lot-order.ts';
import { toIso } from '../../core/time.ts';
import type { Lot } from '../../core/types.ts';
import { defineCommand } from '../command.ts';
import { formatFields, formatTable, printJson } from '../output.ts';
import { instantArg } from './support/args.ts';
import { valueOf, withApp } from './support/open-app.ts';

const lotColumns = [
  { header: 'LOT', value: (l: Lot) => l.lotNo, align: 'right' as const },
  { header: 'SOURCE', value: (l: Lot) => l.source },
  { header: 'CATEGORY', value: (l: Lot) => l.category },
  { header: 'REMAINING', value: (l: Lot) => l.remaining, align: 'right' as const },
  { header: 'ISSUED', value: (l: Lot) => toIso(l.issuedAt) },
  { header: 'EXPIRES', value: (l: Lot) => toIso(l.expiresAt) },
];

export const balanceCommand = defineCommand({
  name: 'balance',
  summary: "A freelancer's balance now (with its lots) or as of a past instant.",
  args: '<freelancer-id>',
  positionals: { min: 1, max: 1 },
  details: [
    'Now: balance, available and held Connects, how many expire within 30 days, and every lot still',
    'holding Connects. With --as-of: the balance at that instant, rebuilt from the history (at most',
    '20,000 entries of it). The same figures as GET /v1/freelancers/{id}/balance.',
    '',
    'Examples:',
    '  connects balance ada',
    '  connects balance ada --as-of 2024-06-01 --json',
  ].join('\n'),
  options: {
    'as-of': { type: 'string', description: 'The balance at this past instant.', placeholder: 'ISO' },
  },
  async run({ io, json, values, positionals }) {
    const id = positionals[0] as string;
    const asOf = values['as-of'] === undefined ? undefined : instantArg('--as-of', values['as-of']);
    const report = await withApp(io, async ({ ctx, connects }) => {
      const now = connects.clock.now();
      const view = valueOf(
        await getBalance(ctx, { freelancerId: id, ...(asOf === undefined ? {} : { asOf }) }, now),
      );
      if (asOf !== undefined) return { view, lots: null };
      // Spendable lots in the order a debit draws them.
      const lots = (await ctx.store.lots(id, { withRemaining: true }))
        .filter((l) => isSpendable(l, view.asOf))
        .sort(compareConsumption);
      return { view, lots };
    });
    const { view } = report;
    if (json) {
      printJson(io, {
        freelancerId: id,
        at: toIso(view.asOf),
        balance: view.balance,
        available: view.available,
        held: view.held,
        expiringWithin30Days: view.expiringSoon,
        ...(report.lots === null
          ? {}
          : {
              lots: report.lots.map((l) => ({
                ...l,
                issuedAt: toIso(l.issuedAt),
                expiresAt: toIso(l.expiresAt),
              })),
            }),
      });
      return;
    }
    const fields: [string, string][] = [
      ['Balance', String(view.balance)],
      ['Available', String(view.available)],
      ['Held', String(view.held)],
      ['Expiring in 30 days', String(view.expiringSoon)],
    ];
    io.stdout(`${id} ${asOf === undefined ? 'now' : 'as of'} ${toIso(view.asOf)}\n${formatFields(fields)}`);
    if (report.lots !== null && report.lots.length > 0)
      io.stdout(`\n${formatTable(report.lots, lotColumns)}`);
  },
});
