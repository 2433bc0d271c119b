import type { BatchWrites } from './diff-states.ts';
import type { SqlTx, SqlValue } from './sql-client.ts';

/** One column of a set-based write: its name, array element type and how to read it from a row. */
interface Column<R> {
  readonly name: string;
  readonly type: 'text' | 'int4' | 'int8' | 'jsonb';
  readonly get: (row: R) => SqlValue;
}

/** Collects positional parameters while a statement is assembled. */
class Params {
  readonly values: SqlValue[] = [];
  array<R>(rows: readonly R[], column: Column<R>): string {
    this.values.push(rows.map(column.get));
    return `$${this.values.length}::${column.type}[]`;
  }
}

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

function insertFrom<R>(p: Params, table: string, rows: readonly R[], columns: readonly Column<R>[]): string {
  const names = columns.map((c) => c.name).join(', ');
  const arrays = columns.map((c) => p.array(rows, c)).join(', ');
  return `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`;
}

function updateFrom<R>(
  p: Params,
  table: string,
  rows: readonly R[],
  keys: readonly Column<R>[],
  sets: readonly Column<R>[],
): string {
  const all = [...keys, ...sets];
  const arrays = all.map((c) => p.array(rows, c)).join(', ');
  const assign = sets.map((c) => `${c.name} = u.${c.name}`).join(', ');
  const match = keys.map((c) => `t.${c.name} = u.${c.name}`).join(' AND ');
  return `UPDATE ${table} t SET ${assign} FROM unnest(${arrays}) AS u(${all.map((c) => c.name).join(', ')}) WHERE ${match}`;
}

type Rows<K extends keyof BatchWrites> = BatchWrites[K][number];

const entryColumns: Column<Rows<'entries'>>[] = [
  { name: 'account', type: 'text', get: (r) => r.account },
  { name: 'seq', type: 'int8', get: (r) => r.entry.seq },
  { name: 'type', type: 'text', get: (r) => r.entry.type },
  { name: 'amount', type: 'int8', get: (r) => r.entry.amount },
  { name: 'postings', type: 'jsonb', get: (r) => json(r.entry.postings) },
  { name: 'balance_before', type: 'int8', get: (r) => r.entry.balanceBefore },
  { name: 'balance_after', type: 'int8', get: (r) => r.entry.balanceAfter },
  { name: 'available_before', type: 'int8', get: (r) => r.entry.availableBefore },
  { name: 'available_after', type: 'int8', get: (r) => r.entry.availableAfter },
  { name: 'effective_at', type: 'int8', get: (r) => r.entry.effectiveAt },
  { name: 'recorded_at', type: 'int8', get: (r) => r.entry.recordedAt },
  { name: 'ref', type: 'text', get: (r) => r.entry.ref },
  { name: 'reason', type: 'text', get: (r) => r.entry.reason },
  { name: 'lot', type: 'jsonb', get: (r) => json(r.entry.lot) },
  { name: 'hold_id', type: 'text', get: (r) => r.entry.holdId ?? null },
  { name: 'idempotency_key', type: 'text', get: (r) => r.key },
];

const lotColumns: Column<Rows<'newLots'>>[] = [
  { name: 'account', type: 'text', get: (r) => r.account },
  { name: 'lot_no', type: 'int4', get: (r) => r.lot.lotNo },
  { name: 'source', type: 'text', get: (r) => r.lot.source },
  { name: 'category', type: 'text', get: (r) => r.lot.category },
  { name: 'amount', type: 'int8', get: (r) => r.lot.amount },
  { name: 'remaining', type: 'int8', get: (r) => r.lot.remaining },
  { name: 'issued_at', type: 'int8', get: (r) => r.lot.issuedAt },
  { name: 'expires_at', type: 'int8', get: (r) => r.lot.expiresAt },
  { name: 'ref', type: 'text', get: (r) => r.lot.ref },
];

const holdColumns: Column<Rows<'newHolds'>>[] = [
  { name: 'account', type: 'text', get: (r) => r.account },
  { name: 'hold_id', type: 'text', get: (r) => r.hold.holdId },
  { name: 'amount', type: 'int8', get: (r) => r.hold.amount },
  { name: 'draws', type: 'jsonb', get: (r) => json(r.hold.draws) },
  { name: 'placed_at', type: 'int8', get: (r) => r.hold.placedAt },
  { name: 'ref', type: 'text', get: (r) => r.hold.ref },
  { name: 'status', type: 'text', get: (r) => r.hold.status },
  { name: 'settled_at', type: 'int8', get: (r) => r.hold.settledAt },
];

const accountColumns: Column<Rows<'newAccounts'>>[] = [
  { name: 'account', type: 'text', get: (r) => r.account },
  { name: 'seq', type: 'int8', get: (r) => r.seq },
  { name: 'next_lot_no', type: 'int4', get: (r) => r.nextLotNo },
  { name: 'created_at', type: 'int8', get: (r) => r.createdAt },
];

const resultColumns: Column<Rows<'results'>>[] = [
  { name: 'scope', type: 'text', get: (r) => r.scope },
  { name: 'key', type: 'text', get: (r) => r.key },
  { name: 'request_hash', type: 'text', get: (r) => r.hash },
  { name: 'result', type: 'jsonb', get: (r) => json(r.result) },
  { name: 'created_at', type: 'int8', get: (r) => r.createdAt },
];

const text = <R>(name: string, get: (r: R) => SqlValue): Column<R> => ({ name, type: 'text', get });
const int = <R>(name: string, type: 'int4' | 'int8', get: (r: R) => SqlValue): Column<R> => ({
  name,
  type,
  get,
});

/** The statement parts, in a fixed order so each combination always yields the same text. */
const parts: readonly ((p: Params, w: BatchWrites) => string | null)[] = [
  (p, w) => (w.entries.length ? insertFrom(p, 'entries', w.entries, entryColumns) : null),
  (p, w) => (w.newLots.length ? insertFrom(p, 'lots', w.newLots, lotColumns) : null),
  (p, w) =>
    w.changedLots.length
      ? updateFrom(
          p,
          'lots',
          w.changedLots,
          [text('account', (r) => r.account), int('lot_no', 'int4', (r) => r.lotNo)],
          [int('remaining', 'int8', (r) => r.remaining)],
        )
      : null,
  (p, w) => (w.newHolds.length ? insertFrom(p, 'holds', w.newHolds, holdColumns) : null),
  (p, w) =>
    w.settledHolds.length
      ? updateFrom(
          p,
          'holds',
          w.settledHolds,
          [text('account', (r) => r.account), text('hold_id', (r) => r.holdId)],
          [text('status', (r) => r.status), int('settled_at', 'int8', (r) => r.settledAt)],
        )
      : null,
  (p, w) => (w.newAccounts.length ? insertFrom(p, 'accounts', w.newAccounts, accountColumns) : null),
  (p, w) =>
    w.changedAccounts.length
      ? updateFrom(
          p,
          'accounts',
          w.changedAccounts,
          [text('account', (r) => r.account)],
          [int('seq', 'int8', (r) => r.seq), int('next_lot_no', 'int4', (r) => r.nextLotNo)],
        )
      : null,
  (p, w) => (w.results.length ? insertFrom(p, 'idempotency', w.results, resultColumns) : null),
];

/**
 * Writes a whole batch in one round trip: one statement whose data-modifying
 * CTEs insert the entries, lots, holds, accounts and idempotency rows and
 * update lots, holds and accounts from arrays (unnest). The statement's text
 * depends only on which parts are present, so PostgreSQL prepares each shape once.
 */
export async function writeResults(tx: SqlTx, writes: BatchWrites): Promise<void> {
  const p = new Params();
  const ctes: string[] = [];
  let shape = 0;
  parts.forEach((part, i) => {
    const sql = part(p, writes);
    if (sql === null) return;
    ctes.push(`w${i} AS (${sql})`);
    shape |= 1 << i;
  });
  if (ctes.length === 0) return;
  await tx.query(`WITH ${ctes.join(',\n')} SELECT 1`, p.values, `connects_write_${shape}`);
}
