import { toIso } from '../../../core/time.ts';
import type { Entry, EntryType } from '../../../core/types.ts';

/**
 * How ledger entries leave the CLI (history --json, export): one flat record
 * per entry with ISO instants and the signed change, in JSON or CSV.
 */
export interface EntryRecord {
  readonly account: string;
  readonly seq: number;
  readonly type: EntryType;
  readonly amount: number;
  /** balanceAfter - balanceBefore: the signed effect on the balance. */
  readonly delta: number;
  readonly balanceBefore: number;
  readonly balanceAfter: number;
  readonly availableBefore: number;
  readonly availableAfter: number;
  readonly effectiveAt: string;
  readonly recordedAt: string;
  readonly ref: string | null;
  readonly reason: string | null;
  /** Lots moved, as lotNo:amount pairs (negative: out of the lot). */
  readonly lots: string;
}

export function entryRecord(account: string, e: Entry): EntryRecord {
  return {
    account,
    seq: e.seq,
    type: e.type,
    amount: e.amount,
    delta: e.balanceAfter - e.balanceBefore,
    balanceBefore: e.balanceBefore,
    balanceAfter: e.balanceAfter,
    availableBefore: e.availableBefore,
    availableAfter: e.availableAfter,
    effectiveAt: toIso(e.effectiveAt),
    recordedAt: toIso(e.recordedAt),
    ref: e.ref,
    reason: e.reason,
    lots: e.postings.map((p) => `${p.lotNo}:${p.amount}`).join(' '),
  };
}

const csvColumns: readonly (keyof EntryRecord)[] = [
  'account',
  'seq',
  'type',
  'amount',
  'delta',
  'balanceBefore',
  'balanceAfter',
  'availableBefore',
  'availableAfter',
  'effectiveAt',
  'recordedAt',
  'ref',
  'reason',
  'lots',
];

export const CSV_HEADER = `${csvColumns.join(',')}\n`;

/**
 * One CSV field (RFC 4180 quoting). Text that a spreadsheet would run as a
 * formula (=, +, -, @ first) gets a leading apostrophe: reasons are free text.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(record: EntryRecord): string {
  return `${csvColumns.map((column) => csvField(record[column])).join(',')}\n`;
}
