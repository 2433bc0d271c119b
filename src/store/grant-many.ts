import { assert } from '../core/errors.ts';
import type { Instant } from '../core/time.ts';
import type { Lot, LotCategory, LotSource, Posting } from '../core/types.ts';
import type { SqlTx } from './sql-client.ts';
import { insertComputedSql } from './write-results.ts';

/**
 * The same grant to many accounts at once, computed in SQL instead of the
 * core: the monthly allotment of every due Basic account (a million rows a
 * tick). It writes what the core writes for a grant on an account with no
 * due expiry and no holding cap (the allotment contract test compares them
 * field by field), through the batch write's own INSERT of entries and lots.
 */
export interface ManyGrant {
  readonly amount: number;
  readonly source: LotSource;
  readonly category: LotCategory;
  /** The lot's issue instant; the entry is effective then, or at the account's last entry when later. */
  readonly issuedAt: Instant;
  readonly expiresAt: Instant;
  readonly reason: string | null;
}

export interface GrantManyResult {
  /** Accounts granted. */
  readonly granted: number;
  /**
   * Accounts left untouched, for the core's path: no ledger row yet, or a lot
   * whose expiry is due at `now` and not yet written (the core writes it first).
   */
  readonly skipped: string[];
}

/** Returns each account's new entry seq and next lot number (the new lot is next_lot_no - 1). */
const takeAccountsSql = `UPDATE accounts SET seq = seq + 1, next_lot_no = next_lot_no + 1
  WHERE account = ANY($1::text[]) RETURNING account, seq, next_lot_no`;

const giveBackSql = `UPDATE accounts SET seq = seq - 1, next_lot_no = next_lot_no - 1
  WHERE account = ANY($1::text[])`;

/** A JSON document as text, one SQL expression per field that yields the field's JSON text. */
const jsonText = (fields: Readonly<Record<string, string>>): string =>
  `('{' || ${Object.entries(fields)
    .map(([key, json], i) => `'${i === 0 ? '' : ','}"${key}":' || ${json}`)
    .join(' || ')} || '}')`;
const num = (sql: string) => `(${sql})::text`;
const str = (sql: string) => `coalesce(to_json((${sql})::text)::text, 'null')`;

/**
 * $1 accounts, $2 refs, $3 entry seqs, $4 lot numbers (in the same order), $5 now, $6 issuedAt,
 * $7 amount, $8 expiresAt, $9 reason, $10 source, $11 category, $12 and $13 the same two as JSON text.
 * The only reads are each account's lots and holds (for the balances before) and its last entry
 * (effective times never go back). JSON documents are assembled as text and cast once: about twice as
 * fast as jsonb_build_object here.
 */
function grantSql(): string {
  const lot = {
    lotNo: num('s.lot_no'),
    source: '$12::text',
    category: '$13::text',
    amount: num('$7::bigint'),
    remaining: num('$7::bigint'),
    issuedAt: num('$6::bigint'),
    expiresAt: num('$8::bigint'),
    ref: str('s.ref'),
  } satisfies Record<keyof Lot, string>;
  const posting = { lotNo: num('s.lot_no'), amount: num('$7::bigint') } satisfies Record<
    keyof Posting,
    string
  >;
  const newLots = insertComputedSql(
    'newLots',
    {
      account: 's.account',
      lot_no: 's.lot_no',
      source: '$10::text',
      category: '$11::text',
      amount: '$7::bigint',
      remaining: '$7::bigint',
      issued_at: '$6::bigint',
      expires_at: '$8::bigint',
      ref: 's.ref',
    },
    's',
  );
  const entries = insertComputedSql(
    'entries',
    {
      account: 's.account',
      seq: 's.seq',
      type: "'grant'::text",
      amount: '$7::bigint',
      postings: `'[' || ${jsonText(posting)} || ']'`,
      balance_before: 's.balance',
      balance_after: 's.balance + $7::bigint',
      available_before: 's.available',
      available_after: 's.available + $7::bigint',
      effective_at: 's.effective_at',
      recorded_at: '$5::bigint',
      ref: 's.ref',
      reason: '$9::text',
      lot: jsonText(lot),
      hold_id: 'NULL::text',
      idempotency_key: 'NULL::text',
    },
    's',
  );
  return `WITH b AS (
      SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[]) AS b(account, ref, seq, lot_no)
    ), l AS (
      SELECT account, sum(remaining) AS booked,
        sum(remaining) FILTER (WHERE issued_at <= $5::bigint AND expires_at > $5::bigint) AS available,
        count(*) FILTER (WHERE expires_at <= $5::bigint) AS due
      FROM lots WHERE account = ANY($1::text[]) AND remaining > 0 GROUP BY account
    ), h AS (
      SELECT account, sum(amount) AS held FROM holds
      WHERE account = ANY($1::text[]) AND status = 'active' GROUP BY account
    ), s AS (
      SELECT b.account, b.seq, b.lot_no, b.ref,
        greatest($6::bigint, (SELECT p.effective_at FROM entries p WHERE p.account = b.account AND p.seq = b.seq - 1))
          AS effective_at,
        coalesce(l.booked, 0) + coalesce(h.held, 0) AS balance, coalesce(l.available, 0) AS available
      FROM b LEFT JOIN l ON l.account = b.account LEFT JOIN h ON h.account = b.account
      WHERE coalesce(l.due, 0) = 0
    ), new_lots AS (${newLots}
    ), new_entries AS (${entries})
    SELECT (SELECT count(*) FROM s)::int AS granted,
      (SELECT coalesce(array_agg(account), '{}') FROM l WHERE due > 0) AS due`;
}

const grantStatement = grantSql();

/**
 * Grants `grant` to each account (with its own ref) inside the caller's
 * transaction, in three statements at most: take the accounts (row lock,
 * seq and next lot number advanced), insert the lots and entries, and give
 * back the accounts the statement could not do alike. Accounts are given
 * sorted and at most once.
 */
export async function grantMany(
  tx: SqlTx,
  grant: ManyGrant,
  accounts: readonly { readonly account: string; readonly ref: string | null }[],
  now: Instant,
): Promise<GrantManyResult> {
  assert(Number.isSafeInteger(grant.amount) && grant.amount > 0, 'a grant is a positive whole number');
  assert(
    grant.issuedAt <= now && grant.expiresAt > now,
    'a set-based grant is issued by now and not expired',
  );
  if (accounts.length === 0) return { granted: 0, skipped: [] };
  const refOf = new Map(accounts.map((a) => [a.account, a.ref]));
  const ids = [...refOf.keys()].sort();
  const taken = await tx.query<{ account: string; seq: number; next_lot_no: number }>(takeAccountsSql, [ids]);
  const rows = taken.rows.sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
  const present = new Set(rows.map((row) => row.account));
  const params = [
    rows.map((row) => row.account),
    rows.map((row) => refOf.get(row.account) ?? null),
    rows.map((row) => row.seq),
    rows.map((row) => row.next_lot_no - 1),
    now,
    grant.issuedAt,
    grant.amount,
    grant.expiresAt,
    grant.reason,
    grant.source,
    grant.category,
    JSON.stringify(grant.source),
    JSON.stringify(grant.category),
  ];
  const done = (await tx.query<{ granted: number; due: string[] }>(grantStatement, params)).rows[0];
  assert(done !== undefined, 'the grant statement returned no row');
  if (done.due.length > 0) await tx.query(giveBackSql, [done.due]);
  const skipped = [...ids.filter((id) => !present.has(id)), ...done.due].sort();
  return { granted: done.granted, skipped };
}
