import type { BatchWrites } from './diff-states.ts';
import type { PayloadRef } from './payload.ts';
import { toStoredRow } from './stored-result.ts';

/** Column lists as jsonb_to_recordset needs them: name and type, in table order. */
const entryColumns =
  'account text, seq int8, type text, amount int8, postings jsonb, balance_before int8, balance_after int8, ' +
  'available_before int8, available_after int8, effective_at int8, recorded_at int8, ref text, reason text, ' +
  'lot jsonb, hold_id text, idempotency_key text';
const lotColumns =
  'account text, lot_no int, source text, category text, amount int8, remaining int8, issued_at int8, ' +
  'expires_at int8, ref text';
const holdColumns =
  'account text, hold_id text, amount int8, draws jsonb, placed_at int8, ref text, status text, settled_at int8';
const accountColumns = 'account text, seq int8, next_lot_no int, created_at int8';
const resultColumns = 'scope text, key text, request_hash text, result jsonb, created_at int8';

const names = (columns: string) => columns.replace(/ [a-z0-9]+(,|$)/g, '$1');

function insert(table: string, field: string, columns: string): string {
  return `INSERT INTO ${table} (${names(columns)})
    SELECT ${names(columns)} FROM p, jsonb_to_recordset(p.j->'${field}') AS x(${columns})`;
}

/**
 * UPDATE ... FROM the payload. The extra `t.account = ANY(...)` (evaluated
 * once) gives the planner an index condition: without it, a payload it
 * guesses at 100 rows can make it hash-join against a scan of the whole table.
 */
function update(table: string, field: string, keys: string, sets: string): string {
  const keyNames = names(keys).split(', ');
  const setNames = names(sets).split(', ');
  return `UPDATE ${table} t SET ${setNames.map((c) => `${c} = x.${c}`).join(', ')}
    FROM p, jsonb_to_recordset(p.j->'${field}') AS x(${keys}, ${sets})
    WHERE ${keyNames.map((c) => `t.${c} = x.${c}`).join(' AND ')}
      AND t.account = ANY(ARRAY(SELECT a.account FROM p p2, jsonb_to_recordset(p2.j->'${field}') AS a(account text)))`;
}

/** Each part of the write, with the payload field it reads; a part is left out when it has no rows. */
const parts: readonly { field: keyof BatchWrites; sql: string }[] = [
  { field: 'entries', sql: insert('entries', 'entries', entryColumns) },
  { field: 'newLots', sql: insert('lots', 'newLots', lotColumns) },
  { field: 'changedLots', sql: update('lots', 'changedLots', 'account text, lot_no int', 'remaining int8') },
  { field: 'newHolds', sql: insert('holds', 'newHolds', holdColumns) },
  {
    field: 'settledHolds',
    sql: update('holds', 'settledHolds', 'account text, hold_id text', 'status text, settled_at int8'),
  },
  { field: 'newAccounts', sql: insert('accounts', 'newAccounts', accountColumns) },
  {
    field: 'changedAccounts',
    sql: update('accounts', 'changedAccounts', 'account text', 'seq int8, next_lot_no int'),
  },
  { field: 'results', sql: insert('idempotency', 'results', resultColumns) },
];

/** The rows of a batch as one JSON document, field names matching the column lists above. */
export function writePayload(writes: BatchWrites): string {
  return JSON.stringify({
    entries: writes.entries.map(({ account, entry: e, key }) => ({
      account,
      seq: e.seq,
      type: e.type,
      amount: e.amount,
      postings: e.postings,
      balance_before: e.balanceBefore,
      balance_after: e.balanceAfter,
      available_before: e.availableBefore,
      available_after: e.availableAfter,
      effective_at: e.effectiveAt,
      recorded_at: e.recordedAt,
      ref: e.ref,
      reason: e.reason,
      lot: e.lot ?? null,
      hold_id: e.holdId ?? null,
      idempotency_key: key,
    })),
    newLots: writes.newLots.map(({ account, lot: l }) => ({
      account,
      lot_no: l.lotNo,
      source: l.source,
      category: l.category,
      amount: l.amount,
      remaining: l.remaining,
      issued_at: l.issuedAt,
      expires_at: l.expiresAt,
      ref: l.ref,
    })),
    changedLots: writes.changedLots.map((r) => ({
      account: r.account,
      lot_no: r.lotNo,
      remaining: r.remaining,
    })),
    newHolds: writes.newHolds.map(({ account, hold: h }) => ({
      account,
      hold_id: h.holdId,
      amount: h.amount,
      draws: h.draws,
      placed_at: h.placedAt,
      ref: h.ref,
      status: h.status,
      settled_at: h.settledAt,
    })),
    settledHolds: writes.settledHolds.map((r) => ({
      account: r.account,
      hold_id: r.holdId,
      status: r.status,
      settled_at: r.settledAt,
    })),
    newAccounts: writes.newAccounts.map((r) => ({
      account: r.account,
      seq: r.seq,
      next_lot_no: r.nextLotNo,
      created_at: r.createdAt,
    })),
    changedAccounts: writes.changedAccounts.map((r) => ({
      account: r.account,
      seq: r.seq,
      next_lot_no: r.nextLotNo,
    })),
    results: writes.results.map((r) => ({
      scope: r.scope,
      key: r.key,
      request_hash: r.hash,
      result: toStoredRow(r.result),
      created_at: r.createdAt,
    })),
  });
}

/**
 * One statement writes the whole batch: data-modifying CTEs insert the
 * entries, lots, holds, accounts and idempotency rows and update lots, holds
 * and accounts, each set-based from the payload (jsonb_to_recordset). The
 * text never varies (an empty part costs nothing), so it is prepared once
 * per connection and its plan reused.
 */
export function writeStatement(p: PayloadRef): string {
  const ctes = parts.map((part, i) => `w${i} AS (${part.sql})`);
  return `WITH p AS (SELECT ${p} AS j),\n${ctes.join(',\n')}\nSELECT 1`;
}

/** True when the batch has nothing to write (every command failed, replayed or changed nothing). */
export function writesNothing(writes: BatchWrites): boolean {
  return parts.every((part) => writes[part.field].length === 0);
}
