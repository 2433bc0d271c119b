import { lookUpFreelancer } from '../../app/proposals/freelancer-lookup.ts';
import { MS_PER_DAY, toIso } from '../../core/time.ts';
import type { Lot } from '../../core/types.ts';
import { defineCommand } from '../command.ts';
import { formatFields, formatTable, printJson } from '../output.ts';
import { instantArg } from './support/args.ts';
import { valueOf, withApp } from './support/open-app.ts';

const EXPIRY_WINDOW_MS = 30 * MS_PER_DAY;

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
    'holding Connects. With --as-of: the balance at that instant, rebuilt from the history.',
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
    const now = Date.now();
    const report = await withApp(io, async ({ store }) => {
      valueOf(await lookUpFreelancer(store, id));
      if (asOf !== undefined) return { at: asOf, balance: await store.balanceAsOf(id, asOf), lots: null };
      // Spendable lots in the order a debit draws them: soonest expiry, then oldest, then lot number.
      const lots = (await store.lots(id, { withRemaining: true }))
        .filter((l) => l.issuedAt <= now && now < l.expiresAt)
        .sort((a, b) => a.expiresAt - b.expiresAt || a.issuedAt - b.issuedAt || a.lotNo - b.lotNo);
      return { at: now, balance: await store.balance(id, now), lots };
    });
    const expiring =
      report.lots === null
        ? null
        : report.lots
            .filter((l) => l.expiresAt < report.at + EXPIRY_WINDOW_MS)
            .reduce((n, l) => n + l.remaining, 0);
    if (json) {
      printJson(io, {
        freelancerId: id,
        at: toIso(report.at),
        ...report.balance,
        ...(expiring === null ? {} : { expiringWithin30Days: expiring }),
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
      ['Balance', String(report.balance.balance)],
      ['Available', String(report.balance.available)],
      ['Held', String(report.balance.held)],
    ];
    if (expiring !== null) fields.push(['Expiring in 30 days', String(expiring)]);
    io.stdout(`${id} ${asOf === undefined ? 'now' : 'as of'} ${toIso(report.at)}\n${formatFields(fields)}`);
    if (report.lots !== null && report.lots.length > 0)
      io.stdout(`\n${formatTable(report.lots, lotColumns)}`);
  },
});
