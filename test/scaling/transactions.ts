import type { RecordedStatement } from '../../src/store/testing/recording-client.ts';
import { ACCOUNT_KEYED, accountKeys, cell } from './census.ts';

/**
 * A transaction that would span shards: several accounts, or one account and a shared row it writes or
 * locks (a job, a promo code), in one `transaction` call or round. The ledger batcher's sessions are
 * left out: its grouping depends on timing, and its statements are in the statement list already.
 */
export interface CrossShardTransaction {
  readonly step: string;
  readonly accounts: 'one' | 'several';
  /** Tables outside the account-keyed ones that the transaction writes or locks, sorted. */
  readonly shared: readonly string[];
}

/** Tables a statement writes (INSERT, UPDATE, DELETE) or locks (every table it reads when it says FOR UPDATE). */
function writtenOrLocked(sql: string, tables: ReadonlySet<string>): string[] {
  const pattern = /FOR (?:NO KEY )?UPDATE/i.test(sql)
    ? /\b(?:INTO|UPDATE|FROM|JOIN)\s+(\w+)/gi
    : /\b(?:INSERT INTO|UPDATE|DELETE FROM)\s+(\w+)/gi;
  return [...sql.matchAll(pattern)].map((m) => (m[1] as string).toLowerCase()).filter((t) => tables.has(t));
}

/**
 * The distinct shapes of the scenario's transactions that would span shards, by step. `tables` names
 * every table of the schema, so a CTE's name is not taken for one.
 */
export function crossShardTransactions(
  recorded: readonly RecordedStatement[],
  accountKey: RegExp,
  tables: ReadonlySet<string>,
): CrossShardTransaction[] {
  const units = new Map<number, { step: string; keys: Set<string>; shared: Set<string>; session: boolean }>();
  for (const statement of recorded) {
    if (statement.unit === 0) continue;
    let unit = units.get(statement.unit);
    if (unit === undefined) {
      unit = { step: statement.step, keys: new Set(), shared: new Set(), session: statement.session };
      units.set(statement.unit, unit);
    }
    accountKeys(statement.params, statement.sql, accountKey, unit.keys);
    for (const table of writtenOrLocked(statement.sql, tables)) {
      if (!(table in ACCOUNT_KEYED)) unit.shared.add(table);
    }
  }
  const shapes = new Map<string, CrossShardTransaction>();
  for (const unit of units.values()) {
    if (unit.keys.size === 0 || (unit.keys.size === 1 && unit.shared.size === 0)) continue;
    // The ledger batcher's sessions write accounts only; a round of a use case also locks a shared row.
    if (unit.session && unit.shared.size === 0) continue;
    const shape: CrossShardTransaction = {
      step: unit.step,
      accounts: unit.keys.size === 1 ? 'one' : 'several',
      shared: [...unit.shared].sort(),
    };
    shapes.set(JSON.stringify(shape), shape);
  }
  return [...shapes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, shape]) => shape);
}

/** Transaction shapes added or gone, one line each. */
export function transactionDiff(
  committed: readonly CrossShardTransaction[],
  now: readonly CrossShardTransaction[],
): string[] {
  const label = (t: CrossShardTransaction) =>
    `"${t.step}": ${t.accounts} account(s)${t.shared.length > 0 ? ` + ${t.shared.join(', ')}` : ''}`;
  const before = new Set(committed.map(label));
  const after = new Set(now.map(label));
  return [
    ...[...after].filter((l) => !before.has(l)).map((l) => `+ new transaction ${l}`),
    ...[...before].filter((l) => !after.has(l)).map((l) => `- gone transaction ${l}`),
  ];
}

/** The markdown table of cross-shard transactions docs/scaling.md carries. */
export function renderTransactions(transactions: readonly CrossShardTransaction[]): string {
  const rows = transactions.map(
    (t, i) => `| ${i + 1} | ${cell(t.step)} | ${t.accounts} | ${t.shared.join(', ')} |`,
  );
  return [
    '| # | scenario step | accounts | shared tables written or locked |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
