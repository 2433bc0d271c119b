import type { Entry } from '../core/types.ts';
import { intArray, textArray } from './array-literal.ts';
import type { BatchWrites } from './diff-states.ts';
import { toStoredRow } from './stored-result.ts';

type Value = string | number | null;
type SqlType = 'text' | 'int4' | 'int8' | 'jsonb';

/** One column of a set-based write: its name, type and how to read it from a row. */
interface Column<R> {
  readonly name: string;
  readonly type: SqlType;
  readonly get: (row: R) => Value;
}

/** An INSERT (every column) or an UPDATE (first `keys` columns match, the rest are set) fed by arrays. */
interface Part<K extends keyof BatchWrites> {
  readonly field: K;
  readonly table: string;
  readonly columns: readonly Column<BatchWrites[K][number]>[];
  readonly keys?: number;
}

const col = <R>(name: string, type: SqlType, get: (row: R) => Value): Column<R> => ({ name, type, get });
const json = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);

type EntryRow = { account: string; entry: Entry; key: string | null };
const entry = (name: string, type: SqlType, get: (e: Entry) => Value) =>
  col<EntryRow>(name, type, (r) => get(r.entry));

/** A part with its row type erased, so the parts can live in one list. */
interface AnyPart {
  readonly field: keyof BatchWrites;
  readonly table: string;
  readonly columns: readonly Column<never>[];
  readonly keys?: number;
}

const parts: readonly AnyPart[] = [
  {
    field: 'entries',
    table: 'entries',
    columns: [
      col<EntryRow>('account', 'text', (r) => r.account),
      entry('seq', 'int8', (e) => e.seq),
      entry('type', 'text', (e) => e.type),
      entry('amount', 'int8', (e) => e.amount),
      entry('postings', 'jsonb', (e) => json(e.postings)),
      entry('balance_before', 'int8', (e) => e.balanceBefore),
      entry('balance_after', 'int8', (e) => e.balanceAfter),
      entry('available_before', 'int8', (e) => e.availableBefore),
      entry('available_after', 'int8', (e) => e.availableAfter),
      entry('effective_at', 'int8', (e) => e.effectiveAt),
      entry('recorded_at', 'int8', (e) => e.recordedAt),
      entry('ref', 'text', (e) => e.ref),
      entry('reason', 'text', (e) => e.reason),
      entry('lot', 'jsonb', (e) => json(e.lot)),
      entry('hold_id', 'text', (e) => e.holdId ?? null),
      col<EntryRow>('idempotency_key', 'text', (r) => r.key),
    ],
  } satisfies Part<'entries'>,
  {
    field: 'newLots',
    table: 'lots',
    columns: [
      col('account', 'text', (r) => r.account),
      col('lot_no', 'int4', (r) => r.lot.lotNo),
      col('source', 'text', (r) => r.lot.source),
      col('category', 'text', (r) => r.lot.category),
      col('amount', 'int8', (r) => r.lot.amount),
      col('remaining', 'int8', (r) => r.lot.remaining),
      col('issued_at', 'int8', (r) => r.lot.issuedAt),
      col('expires_at', 'int8', (r) => r.lot.expiresAt),
      col('ref', 'text', (r) => r.lot.ref),
    ],
  } satisfies Part<'newLots'>,
  {
    field: 'changedLots',
    table: 'lots',
    keys: 2,
    columns: [
      col('account', 'text', (r) => r.account),
      col('lot_no', 'int4', (r) => r.lotNo),
      col('remaining', 'int8', (r) => r.remaining),
      // Equal to the stored one unless an extension moved it.
      col('expires_at', 'int8', (r) => r.expiresAt),
    ],
  } satisfies Part<'changedLots'>,
  {
    field: 'newHolds',
    table: 'holds',
    columns: [
      col('account', 'text', (r) => r.account),
      col('hold_id', 'text', (r) => r.hold.holdId),
      col('amount', 'int8', (r) => r.hold.amount),
      col('draws', 'jsonb', (r) => json(r.hold.draws)),
      col('placed_at', 'int8', (r) => r.hold.placedAt),
      col('ref', 'text', (r) => r.hold.ref),
      col('status', 'text', (r) => r.hold.status),
      col('settled_at', 'int8', (r) => r.hold.settledAt),
    ],
  } satisfies Part<'newHolds'>,
  {
    field: 'settledHolds',
    table: 'holds',
    keys: 2,
    columns: [
      col('account', 'text', (r) => r.account),
      col('hold_id', 'text', (r) => r.holdId),
      col('status', 'text', (r) => r.status),
      col('settled_at', 'int8', (r) => r.settledAt),
    ],
  } satisfies Part<'settledHolds'>,
  {
    field: 'newAccounts',
    table: 'accounts',
    columns: [
      col('account', 'text', (r) => r.account),
      col('seq', 'int8', (r) => r.seq),
      col('next_lot_no', 'int4', (r) => r.nextLotNo),
      col('created_at', 'int8', (r) => r.createdAt),
    ],
  } satisfies Part<'newAccounts'>,
  {
    field: 'changedAccounts',
    table: 'accounts',
    keys: 1,
    columns: [
      col('account', 'text', (r) => r.account),
      col('seq', 'int8', (r) => r.seq),
      col('next_lot_no', 'int4', (r) => r.nextLotNo),
    ],
  } satisfies Part<'changedAccounts'>,
  {
    field: 'results',
    table: 'idempotency',
    columns: [
      col('scope', 'text', (r) => r.scope),
      col('key', 'text', (r) => r.key),
      col('request_hash', 'text', (r) => r.hash),
      col('result', 'jsonb', (r) => json(toStoredRow(r.result))),
      col('created_at', 'int8', (r) => r.createdAt),
    ],
  } satisfies Part<'results'>,
];

const read = (c: Column<never>, row: unknown): Value => (c.get as (row: unknown) => Value)(row);

/** Arrays travel as text[] for jsonb columns (cast per element) and as their own type otherwise. */
const arrayType = (type: SqlType) => `${type === 'jsonb' ? 'text' : type}[]`;

/** The parameter types of the write statement, in order: one array per column of every part. */
export const writeParamTypes: readonly string[] = parts.flatMap((part) =>
  part.columns.map((c) => arrayType(c.type)),
);

/** How the statement refers to its n-th argument (from 1): `$n`, or the argument itself inlined. */
type ArgRef = (n: number) => string;

/** A column as the INSERT or UPDATE reads it from the relation `u` (JSON columns arrive as text). */
const value = (c: Column<never>) => (c.type === 'jsonb' ? `u.${c.name}::jsonb` : `u.${c.name}`);

/** INSERT of every column of the part, read from `from`: a relation named `u` with the part's column names. */
function insertSql(part: AnyPart, from: string): string {
  const aliases = part.columns.map((c) => c.name).join(', ');
  return `INSERT INTO ${part.table} (${aliases}) SELECT ${part.columns.map(value).join(', ')} FROM ${from}`;
}

function partSql(part: AnyPart, first: number, arg: ArgRef): string {
  const columns = part.columns;
  const args = columns.map((c, i) => `${arg(first + i)}::${arrayType(c.type)}`).join(', ');
  const aliases = columns.map((c) => c.name).join(', ');
  const from = `unnest(${args}) AS u(${aliases})`;
  if (part.keys === undefined) return insertSql(part, from);
  const keys = columns.slice(0, part.keys);
  const sets = columns.slice(part.keys);
  // The extra ANY gives the planner an index condition even when it guesses the arrays are long.
  return `UPDATE ${part.table} t SET ${sets.map((c) => `${c.name} = ${value(c)}`).join(', ')} FROM ${from}
    WHERE ${keys.map((c) => `t.${c.name} = u.${c.name}`).join(' AND ')} AND t.account = ANY(${arg(first)}::text[])`;
}

/**
 * One statement writes the whole batch: data-modifying CTEs insert the
 * entries, lots, holds, accounts and idempotency rows and update lots, holds
 * and accounts, each set-based from arrays (unnest). The text never varies
 * (an empty part costs nothing), so it is prepared once per connection.
 */
function writeStatementWith(arg: ArgRef): string {
  let next = 1;
  const ctes = parts.map((part, i) => {
    const sql = partSql(part, next, arg);
    next += part.columns.length;
    return `w${i} AS (${sql})`;
  });
  return `WITH ${ctes.join(',\n')}\nSELECT 1`;
}

export const writeStatement: string = writeStatementWith((n) => `$${n}`);

/**
 * The same statement with its arguments inlined (literals as `writeLiterals` gives them, quoted), for a
 * connection that cannot keep a prepared statement (behind a transaction pooler).
 */
export function inlineWriteStatement(literals: readonly string[]): string {
  return writeStatementWith((n) => {
    const literal = literals[n - 1];
    if (literal === undefined) throw new Error(`write statement argument ${n} missing`);
    return literal;
  });
}

/** The statement's parameters: one array per column, as JS values (for bound parameters). */
export function writeParams(writes: BatchWrites): Value[][] {
  return parts.flatMap((part) => {
    const rows = writes[part.field] as readonly unknown[];
    return part.columns.map((c) => rows.map((row) => read(c, row)));
  });
}

/** The same parameters as array literals, to inline in a script. */
export function writeLiterals(writes: BatchWrites): string[] {
  const types = parts.flatMap((part) => part.columns.map((c) => c.type));
  return writeParams(writes).map((values, i) =>
    types[i] === 'int4' || types[i] === 'int8'
      ? intArray(values as (number | null)[])
      : textArray(values as (string | null)[]),
  );
}

/** The new rows a statement can insert from a relation of its own: entries and lots. */
export type InsertedRows = 'entries' | 'newLots';

/**
 * The INSERT of new entries or lots exactly as the batch write does it (same columns, same JSON casts),
 * but fed by SQL expressions over `from`: `select` gives one expression per column (JSON columns as
 * text). A missing or unknown column throws, so a column added to the batch write cannot be forgotten
 * here.
 */
export function insertComputedSql(
  field: InsertedRows,
  select: Readonly<Record<string, string>>,
  from: string,
): string {
  const part = partOf(field);
  const names = part.columns.map((c) => c.name);
  const extra = Object.keys(select).filter((name) => !names.includes(name));
  const missing = names.filter((name) => select[name] === undefined);
  if (extra.length > 0 || missing.length > 0) {
    throw new Error(`${part.table} columns: missing ${missing.join(', ')}; unknown ${extra.join(', ')}`);
  }
  const row = names.map((name) => `${select[name]} AS ${name}`).join(', ');
  return insertSql(part, `(SELECT ${row} FROM ${from}) u`);
}

function partOf(field: InsertedRows): AnyPart {
  const part = parts.find((p) => p.field === field);
  if (part === undefined) throw new Error(`no write part ${field}`);
  return part;
}

/** True when the batch has nothing to write (every command failed, replayed or changed nothing). */
export function writesNothing(writes: BatchWrites): boolean {
  return parts.every((part) => writes[part.field].length === 0);
}
