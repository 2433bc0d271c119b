import {
  verifyLedger,
  DEFAULT_VERIFY_BATCH,
  MAX_VERIFY_BATCH,
  type VerifyReport,
} from '../../store/verify-ledger.ts';
import type { Discrepancy } from '../../store/verify-account.ts';
import { defineCommand, EXIT_BUSINESS, type CliIo } from '../command.ts';
import { counted, formatTable, printJson } from '../output.ts';
import { wholeArg } from './support/args.ts';
import { withApp } from './support/open-app.ts';

/** A progress line at most this often (ms). */
const PROGRESS_EVERY_MS = 2_000;

function progress(io: CliIo): (checked: number, total: number) => void {
  const started = performance.now();
  let last = started;
  return (checked, total) => {
    const now = performance.now();
    if (now - last < PROGRESS_EVERY_MS && checked < total) return;
    last = now;
    const rate = Math.round((checked * 1000) / Math.max(1, now - started));
    const line = `Verified ${checked}/${total} accounts (${rate} accounts/s)`;
    io.stderr(io.interactive ? `\r${line}${checked >= total ? '\n' : ''}` : `${line}\n`);
  };
}

const columns = [
  { header: 'ACCOUNT', value: (d: Discrepancy) => d.account ?? '(all)' },
  { header: 'KIND', value: (d: Discrepancy) => d.kind },
  { header: 'WHAT', value: (d: Discrepancy) => d.what },
  { header: 'EXPECTED', value: (d: Discrepancy) => String(d.expected) },
  { header: 'FOUND', value: (d: Discrepancy) => String(d.found) },
];

function printText(io: CliIo, report: VerifyReport, location: string, seconds: number): void {
  const head = `Verified ${counted(report.accounts, 'account')} and ${counted(report.entries, 'entry', 'entries')} of ${location} in ${seconds.toFixed(1)} s`;
  const t = report.totals;
  const sums =
    `Credited ${t.credited} + refunded ${t.refunded} = remaining ${t.remaining} + held ${t.held}` +
    ` + spent ${t.spent} + expired ${t.expired} (forfeited apart: ${t.forfeited})`;
  if (report.discrepancyCount === 0) {
    io.stdout(`${head}: no discrepancies.\n${sums}\n`);
    return;
  }
  const shown = report.discrepancies.length;
  const more = shown < report.discrepancyCount ? ` (the first ${shown} listed)` : '';
  io.stdout(`${head}: ${report.discrepancyCount} discrepancies${more}.\n${sums}\n`);
  io.stdout(formatTable(report.discrepancies, columns));
}

export const verifyCommand = defineCommand({
  name: 'verify',
  summary: 'Check the whole ledger against its history, without stopping the service.',
  details: [
    'For every account: its entries replayed through the ledger core give exactly its stored lots,',
    'holds, sequence number and next lot number; sequence numbers have no gaps; each entry starts',
    "from the previous one's balances and the last one's balances match the stored lots and holds;",
    'Connects are conserved (credited + refunded = remaining + held + spent + expired, forfeits',
    'apart), per account and in total; every idempotency row names entries that exist and carry its',
    'key; no entry, lot or hold belongs to a missing account. Accounts are read a batch at a time,',
    'each batch in one consistent snapshot (REPEATABLE READ, read only), so writes going on meanwhile',
    'cause no false alarms. Progress goes to stderr.',
    '',
    'On PostgreSQL (DATABASE_URL) it runs beside the servers. The embedded store can be verified only',
    'when no server holds its folder (exit 4 names the holder): stop the server first.',
    '',
    'Exit codes: 0 no discrepancy, 1 discrepancies found (each listed: account, kind, what, expected,',
    'found; the first --max-listed, with the total count), 4 the store cannot be opened.',
    '',
    'Examples:',
    '  connects verify',
    '  DATABASE_URL=postgres://... connects verify --json > verify.json',
  ].join('\n'),
  options: {
    'batch-size': {
      type: 'string',
      description: `Accounts per snapshot (default ${DEFAULT_VERIFY_BATCH}, at most ${MAX_VERIFY_BATCH}).`,
      placeholder: 'N',
    },
    'max-listed': {
      type: 'string',
      description: 'Discrepancies listed at most (default 1000); all are counted.',
      placeholder: 'N',
    },
  },
  async run({ io, json, values }) {
    const batchSize =
      values['batch-size'] === undefined
        ? DEFAULT_VERIFY_BATCH
        : wholeArg('--batch-size', values['batch-size'], 1, MAX_VERIFY_BATCH);
    const maxListed =
      values['max-listed'] === undefined
        ? 1_000
        : wholeArg('--max-listed', values['max-listed'], 0, 1_000_000);
    const started = performance.now();
    const { report, location } = await withApp(io, async ({ store, location }) => ({
      report: await verifyLedger(store, { batchSize, maxListed, onProgress: progress(io) }),
      location,
    }));
    const seconds = (performance.now() - started) / 1000;
    if (json)
      printJson(io, { ok: report.discrepancyCount === 0, seconds: Number(seconds.toFixed(3)), ...report });
    else printText(io, report, location, seconds);
    return report.discrepancyCount === 0 ? undefined : EXIT_BUSINESS;
  },
});
