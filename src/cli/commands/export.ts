import { open, rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MAX_ENTRIES_PAGE, type LedgerStore } from '../../store/store.ts';
import { defineCommand, usageError, type CliIo } from '../command.ts';
import { createProgress, printJson, type Progress } from '../output.ts';
import { sinceArg } from './support/args.ts';
import { CSV_HEADER, csvLine, entryRecord } from './support/entry-format.ts';
import { valueOf, withApp } from './support/open-app.ts';
import { requireFreelancer } from '../../app/accounts/freelancer-rows.ts';

/** Accounts listed per query when exporting every account. */
const ACCOUNTS_PAGE = 1000;

type Format = 'csv' | 'json';

interface Sink {
  write(text: string): Promise<void>;
  /** Completes the output (a file appears under its name only now). */
  close(): Promise<void>;
  /** Removes a half-written file after a failure. */
  abort(): Promise<void>;
}

function stdoutSink(io: CliIo): Sink {
  return {
    write: async (text) => io.stdout(text),
    close: async () => undefined,
    abort: async () => undefined,
  };
}

/** Writes to FILE.partial and renames it at the end, so FILE is never half a file. */
async function fileSink(path: string): Promise<Sink> {
  const partial = `${path}.partial`;
  // Opening first turns a missing folder or a read-only place into a clear message before any work.
  const handle = await open(partial, 'w').catch((error: unknown) => {
    throw usageError(`cannot write ${path}: ${(error as Error).message}`);
  });
  return {
    // Each write completes before the next page is read: the export never piles up in memory.
    write: async (text) => void (await handle.write(text)),
    async close() {
      await handle.close();
      await rename(partial, path);
    },
    async abort() {
      await handle.close().catch(() => undefined);
      await rm(partial, { force: true });
    },
  };
}

/** Every account with a ledger, in id order, one bounded page at a time. */
async function* allAccounts(store: LedgerStore): AsyncGenerator<string> {
  let after = '';
  for (;;) {
    const { rows } = await store.query<{ account: string }>(
      'SELECT account FROM accounts WHERE account > $1 ORDER BY account LIMIT $2',
      [after, ACCOUNTS_PAGE],
    );
    for (const row of rows) yield row.account;
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < ACCOUNTS_PAGE) return;
    after = last.account;
  }
}

async function countEntries(store: LedgerStore, account: string | undefined): Promise<number> {
  const { rows } = await store.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM entries WHERE $1::text IS NULL OR account = $1',
    [account ?? null],
  );
  return rows[0]?.n ?? 0;
}

interface ExportPlan {
  readonly format: Format;
  readonly freelancer: string | undefined;
  readonly since: number | undefined;
}

/** Streams the entries, oldest first per account; returns how many accounts and entries were written. */
async function stream(store: LedgerStore, plan: ExportPlan, sink: Sink, bar: (done: number) => void) {
  const accounts = plan.freelancer === undefined ? allAccounts(store) : [plan.freelancer];
  let entries = 0;
  let accountCount = 0;
  await sink.write(plan.format === 'csv' ? CSV_HEADER : '[');
  for await (const account of accounts) {
    accountCount += 1;
    let cursor: string | undefined;
    do {
      const query = {
        order: 'asc' as const,
        limit: MAX_ENTRIES_PAGE,
        ...(cursor === undefined ? {} : { cursor }),
        ...(plan.since === undefined ? {} : { since: plan.since }),
      };
      const page = valueOf(await store.entries(account, query));
      const lines = page.entries.map((e, i) => {
        const record = entryRecord(account, e);
        if (plan.format === 'csv') return csvLine(record);
        return `${entries + i === 0 ? '\n' : ',\n'}${JSON.stringify(record)}`;
      });
      await sink.write(lines.join(''));
      entries += page.entries.length;
      bar(entries);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }
  if (plan.format === 'json') await sink.write(entries === 0 ? ']\n' : '\n]\n');
  return { accounts: accountCount, entries };
}

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'Export ledger entries of every account (or one) as CSV or JSON, streamed.',
  details: [
    'One row per entry, oldest first within each account: the signed change, balances before and',
    'after, effective and recorded instants, the cause (ref), the reason and the lots moved. Without',
    '--out the export goes to stdout and the summary to stderr; with --out the file appears only',
    'once complete (written as FILE.partial first). CSV text fields that start with = + - @ get a',
    "leading ' so spreadsheets do not run them.",
    '',
    'Examples:',
    '  connects export --out entries.csv',
    '  connects export --format json --freelancer ada > ada.json',
  ].join('\n'),
  options: {
    format: { type: 'string', description: 'csv (default) or json (one array).', placeholder: 'FMT' },
    out: {
      type: 'string',
      short: 'o',
      description: 'Write to this file instead of stdout.',
      placeholder: 'FILE',
    },
    freelancer: { type: 'string', description: 'Only this freelancer.', placeholder: 'ID' },
    since: {
      type: 'string',
      description: 'Entries effective at or after this instant, or 7d/30d/90d back.',
      placeholder: 'WHEN',
    },
  },
  async run({ io, json, values }) {
    const format = values.format ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw usageError('--format must be csv or json');
    if (json && values.out === undefined) {
      throw usageError(
        '--json prints a summary of an export to a file: add --out FILE (or use --format json)',
      );
    }
    const plan: ExportPlan = {
      format,
      freelancer: values.freelancer,
      since: values.since === undefined ? undefined : sinceArg(values.since, Date.now()),
    };
    const out = values.out === undefined ? undefined : resolve(io.cwd, values.out);
    const summary = await withApp(io, async ({ store }) => {
      if (plan.freelancer !== undefined) valueOf(await requireFreelancer(store, plan.freelancer));
      const bar: Progress = createProgress(io, 'Exporting', await countEntries(store, plan.freelancer));
      const sink = out === undefined ? stdoutSink(io) : await fileSink(out);
      try {
        const done = await stream(store, plan, sink, (n) => bar.update(n));
        await sink.close();
        bar.finish();
        return done;
      } catch (error) {
        await sink.abort();
        throw error;
      }
    });
    const where = out ?? 'stdout';
    if (json) printJson(io, { format, out: where, ...summary });
    // Without --out, stdout is the export itself: the summary goes to stderr.
    else
      (out === undefined ? io.stderr : io.stdout)(
        `Exported ${summary.entries} entries of ${summary.accounts} account(s) as ${format} to ${where}\n`,
      );
  },
});
