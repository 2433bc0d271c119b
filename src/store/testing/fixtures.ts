import type { GrantOp, Operation } from '../../core/ledger/operations.ts';
import type { Instant } from '../../core/time.ts';

export const DAY = 86_400_000;
export const T0: Instant = Date.UTC(2026, 0, 1);
export const YEAR = 365 * DAY;

let counter = 0;
/** A fresh account name, so tests sharing one database never see each other's rows. */
export function freshAccount(prefix = 'fl'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export function grant(amount: number, expiresAt: Instant = T0 + YEAR, issuedAt?: Instant): GrantOp {
  return {
    kind: 'grant',
    amount,
    source: 'purchase',
    category: 'paid',
    expiresAt,
    ...(issuedAt === undefined ? {} : { issuedAt }),
  };
}

export const debit = (amount: number, ref?: string): Operation => ({
  kind: 'debit',
  amount,
  ...(ref ? { ref } : {}),
});
