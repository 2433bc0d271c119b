import type { Result } from '../../core/errors.ts';
import { toIso } from '../../core/time.ts';
import type { Entry } from '../../core/types.ts';
import type { EntryPage } from '../../store/store.ts';

/**
 * The CSV export of a freelancer's history: a header row, then one row per
 * entry, read a page at a time while the client downloads, so memory stays
 * bounded however long the history is. Put a limit on everything: an export
 * stops after MAX_EXPORT_ENTRIES rows (narrow it with since/until for more).
 */
export const MAX_EXPORT_ENTRIES = 100_000;

export const CSV_COLUMNS = [
  'seq',
  'type',
  'amount',
  'balance_before',
  'balance_after',
  'available_before',
  'available_after',
  'effective_at',
  'recorded_at',
  'ref',
  'reason',
  'lot_no',
  'lots',
] as const;

/**
 * RFC 4180 quoting, and text that a spreadsheet would run as a formula
 * (= + - @ at the start) is prefixed with an apostrophe.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(e: Entry): string {
  const lots = e.postings.map((p) => `${p.lotNo}:${p.amount}`).join(' ');
  return [
    e.seq,
    e.type,
    e.amount,
    e.balanceBefore,
    e.balanceAfter,
    e.availableBefore,
    e.availableAfter,
    toIso(e.effectiveAt),
    toIso(e.recordedAt),
    e.ref,
    e.reason,
    e.lot?.lotNo ?? null,
    lots,
  ]
    .map(csvField)
    .join(',');
}

/** Streams `first` and every page after it; `next(cursor)` reads the page at a cursor. */
export function entriesCsv(
  next: (cursor: string) => Promise<Result<EntryPage>>,
  first: EntryPage,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let page: EntryPage | null = first;
  let written = 0;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${CSV_COLUMNS.join(',')}\r\n`));
      }
      if (page === null) {
        controller.close();
        return;
      }
      const rows = page.entries.slice(0, MAX_EXPORT_ENTRIES - written);
      written += rows.length;
      if (rows.length > 0) controller.enqueue(encoder.encode(rows.map((e) => `${csvRow(e)}\r\n`).join('')));
      const cursor = page.nextCursor;
      if (cursor === null || written >= MAX_EXPORT_ENTRIES) {
        page = null;
        return;
      }
      const read = await next(cursor);
      // The cursor came from the previous page, so it is valid; a failure here is a bug.
      if (!read.ok) throw new Error(`export page failed: ${read.error.message}`);
      page = read.value;
    },
  });
}
