import type { Operation } from '../core/ledger/operations.ts';
import type { Instant } from '../core/time.ts';

/**
 * The unit a batch applies: one or more operations on one account, all or
 * nothing, under at most one idempotency key. `execute` makes one with a
 * single operation; `tx.applyOps` one with several.
 */
export interface LedgerCommand {
  readonly account: string;
  readonly ops: readonly Operation[];
  readonly now: Instant;
  readonly key: string | null;
  /** Hash of the request the key stands for (unused without a key). */
  readonly hash: string;
}

/** Idempotency rows are scoped by account, so they live with the account's shard. */
export function scopedKey(account: string, key: string): string {
  return `${account}\u0000${key}`;
}
