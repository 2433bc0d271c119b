import type { Balance } from '../core/ledger/balance.ts';
import type { Entry } from '../core/types.ts';

/** What the idempotency table keeps for a key: the request's hash and its original result. */
export interface StoredResult {
  readonly hash: string;
  readonly result: { readonly entries: readonly Entry[]; readonly balance: Balance };
}
