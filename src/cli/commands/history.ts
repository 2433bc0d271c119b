import { MAX_ENTRIES_PAGE } from '../../store/store.ts';
import { entryTypes, type EntryType } from '../../core/types.ts';
import { defineCommand, usageError } from '../command.ts';
import { formatTable, printJson } from '../output.ts';
import { sinceArg, wholeArg } from './support/args.ts';
import { entryRecord, type EntryRecord } from './support/entry-format.ts';
import { valueOf, withApp } from './support/open-app.ts';
import { requireFreelancer } from '../../app/accounts/freelancer-rows.ts';

const columns = [
  { header: 'SEQ', value: (r: EntryRecord) => r.seq, align: 'right' as const },
  { header: 'EFFECTIVE', value: (r: EntryRecord) => r.effectiveAt },
  { header: 'TYPE', value: (r: EntryRecord) => r.type },
  {
    header: 'CHANGE',
    value: (r: EntryRecord) => (r.delta > 0 ? `+${r.delta}` : r.delta),
    align: 'right' as const,
  },
  { header: 'BALANCE', value: (r: EntryRecord) => r.balanceAfter, align: 'right' as const },
  { header: 'AVAILABLE', value: (r: EntryRecord) => r.availableAfter, align: 'right' as const },
  { header: 'REF', value: (r: EntryRecord) => r.ref },
  { header: 'REASON', value: (r: EntryRecord) => r.reason },
];

function typesArg(text: string): EntryType[] {
  const types = text.split(',').map((t) => t.trim());
  const unknown = types.filter((t) => !(entryTypes as readonly string[]).includes(t));
  if (unknown.length > 0)
    throw usageError(`--type must be among ${entryTypes.join(', ')} (got ${unknown.join(', ')})`);
  return types as EntryType[];
}

export const historyCommand = defineCommand({
  name: 'history',
  summary: "A freelancer's ledger entries, newest first, with filters.",
  args: '<freelancer-id>',
  positionals: { min: 1, max: 1 },
  details: [
    'Each entry shows its effect on the balance, the balance after it, and what caused it (ref).',
    'Pass the printed cursor back with --cursor for the next page.',
    '',
    'Examples:',
    '  connects history ada --since 30d',
    '  connects history ada --type debit,refund --limit 100 --json',
  ].join('\n'),
  options: {
    type: {
      type: 'string',
      description: `Only these types, comma-separated (${entryTypes.join(', ')}).`,
      placeholder: 'T',
    },
    since: {
      type: 'string',
      description: 'Entries effective at or after this instant, or 7d/30d/90d back.',
      placeholder: 'WHEN',
    },
    limit: {
      type: 'string',
      description: `Entries per page (1-${MAX_ENTRIES_PAGE}, default 50).`,
      placeholder: 'N',
    },
    cursor: { type: 'string', description: 'The next page, from a previous answer.', placeholder: 'C' },
  },
  async run({ io, json, values, positionals }) {
    const id = positionals[0] as string;
    const now = Date.now();
    const query = {
      ...(values.type === undefined ? {} : { types: typesArg(values.type) }),
      ...(values.since === undefined ? {} : { since: sinceArg(values.since, now) }),
      ...(values.limit === undefined
        ? {}
        : { limit: wholeArg('--limit', values.limit, 1, MAX_ENTRIES_PAGE) }),
      ...(values.cursor === undefined ? {} : { cursor: values.cursor }),
    };
    const page = await withApp(io, async ({ store }) => {
      valueOf(await requireFreelancer(store, id));
      return valueOf(await store.entries(id, query));
    });
    const records = page.entries.map((e) => entryRecord(id, e));
    if (json) {
      printJson(io, { freelancerId: id, entries: records, nextCursor: page.nextCursor });
      return;
    }
    if (records.length === 0) io.stdout(`No entries for ${id} match.\n`);
    else io.stdout(formatTable(records, columns));
    if (page.nextCursor !== null) io.stdout(`\nMore entries: repeat with --cursor ${page.nextCursor}\n`);
  },
});
