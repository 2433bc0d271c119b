import type { LedgerStore } from '../src/store/store.ts';

const DAY = 86_400_000;
const YEAR = 365 * DAY;

export const benchAccount = (i: number): string => `bench-${i}`;

/**
 * Creates `accounts` accounts with `lotsPerAccount` lots of `lotAmount` each,
 * in three set-based statements (accounts, lots, the grant entries that
 * created them), so the ledger is consistent: replaying the entries gives
 * the lots. Lots are issued a few days before `now` and expire in a year.
 */
export async function seedAccounts(
  store: LedgerStore,
  accounts: number,
  lotsPerAccount: number,
  lotAmount: number,
  now: number,
): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO accounts (account, seq, next_lot_no, created_at)
       SELECT 'bench-' || i, $2::int, $2::int + 1, $3::bigint FROM generate_series(1, $1::int) i`,
      [accounts, lotsPerAccount, now - 10 * DAY],
    );
    await tx.query(
      `INSERT INTO lots (account, lot_no, source, category, amount, remaining, issued_at, expires_at, ref)
       SELECT 'bench-' || i, n, 'purchase', 'paid', $3::bigint, $3::bigint,
              $4::bigint - (10 - n) * $5::bigint, $4::bigint + $6::bigint + n * $5::bigint, NULL
       FROM generate_series(1, $1::int) i, generate_series(1, $2::int) n`,
      [accounts, lotsPerAccount, lotAmount, now, DAY, YEAR],
    );
    await tx.query(
      `INSERT INTO entries (account, seq, type, amount, postings, balance_before, balance_after,
         available_before, available_after, effective_at, recorded_at, ref, reason, lot, hold_id, idempotency_key)
       SELECT l.account, l.lot_no, 'grant', l.amount,
              jsonb_build_array(jsonb_build_object('lotNo', l.lot_no, 'amount', l.amount)),
              (l.lot_no - 1) * l.amount, l.lot_no * l.amount, (l.lot_no - 1) * l.amount, l.lot_no * l.amount,
              l.issued_at, l.issued_at, NULL, NULL,
              jsonb_build_object('lotNo', l.lot_no, 'source', l.source, 'category', l.category, 'amount', l.amount,
                'remaining', l.amount, 'issuedAt', l.issued_at, 'expiresAt', l.expires_at, 'ref', NULL),
              NULL, NULL
       FROM lots l WHERE l.account LIKE 'bench-%'`,
    );
  });
  await store.query('ANALYZE accounts');
  await store.query('ANALYZE lots');
  await store.query('ANALYZE entries');
}
