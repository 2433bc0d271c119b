import type { Balance } from '../core/ledger/balance.ts';
import type { Entry } from '../core/types.ts';

/** What a key stands for: the request's hash and its original result. */
export interface StoredResult {
  readonly hash: string;
  readonly result: { readonly entries: readonly Entry[]; readonly balance: Balance };
}

/**
 * How the idempotency table keeps a result. Entries are immutable and a
 * command's entries have consecutive seqs, so the row names their range
 * instead of copying them (half the bytes written per operation); a replay
 * reads them back, exactly as first written.
 */
export interface StoredResultRow {
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  readonly balance: Balance;
}

export function toStoredRow(result: StoredResult['result']): StoredResultRow {
  const first = result.entries[0];
  const last = result.entries[result.entries.length - 1];
  return { firstSeq: first?.seq ?? null, lastSeq: last?.seq ?? null, balance: result.balance };
}
