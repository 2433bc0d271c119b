import type { SqlValue } from '../../src/store/sql-client.ts';
import type { RecordedStatement } from '../../src/store/testing/recording-client.ts';

/**
 * The statement census: every statement a scenario ran, normalised and sorted
 * into what sharding by account would make of it. See docs/scaling.md.
 */

/** Tables whose rows belong to one account, with the column that names it (the distribution column). */
export const ACCOUNT_KEYED: Readonly<Record<string, string>> = {
  accounts: 'account',
  lots: 'account',
  holds: 'account',
  entries: 'account',
  idempotency: 'scope',
  event_outbox: 'account',
  expiry_notices: 'account',
  webhook_deliveries: 'account',
  freelancers: 'id',
  freelancer_tokens: 'freelancer_id',
  freelancer_rewards: 'freelancer_id',
  rising_talent_facts: 'freelancer_id',
  plan_events: 'freelancer_id',
  purchases: 'freelancer_id',
  promo_redemptions: 'freelancer_id',
  proposals: 'freelancer_id',
  interviews: 'freelancer_id',
  availability_badges: 'freelancer_id',
  http_idempotency: 'scope',
  lot_costs: 'account',
  // A view over lots, purchases and lot_costs, all keyed by the same account.
  lot_unit_costs: 'account',
};

/**
 * Tables that carry a freelancer's id but are not keyed by it, with the reason. A new table with an
 * `account` or `freelancer_id` column must be in ACCOUNT_KEYED or here (the census test checks).
 */
export const NOT_ACCOUNT_KEYED: Readonly<Record<string, string>> = {
  boosts: "a job's auction: keyed by job_id, sharded with jobs",
  audit_log: "the operators' log, keyed by its own id (freelancer_id is null for many rows)",
};

/** Columns that name a freelancer's account. */
export const ACCOUNT_COLUMNS: readonly string[] = ['account', 'freelancer_id'];

/**
 * - `single-account`: each run named one account, and every account-keyed table it touches is
 *   filtered by (or written with) its account column: one shard.
 * - `multi-account`: some run carried several accounts in its parameters (the batcher's arrays,
 *   an auction settling other freelancers' holds): several shards in one statement.
 * - `all-accounts`: it touches account-keyed tables without naming the account it wants (sweeps,
 *   statistics, lists, look-ups by another id): every shard.
 * - `not-account-keyed`: it touches no account-keyed table (jobs, boosts, settings, endpoints).
 */
export type StatementClass = 'single-account' | 'multi-account' | 'all-accounts' | 'not-account-keyed';

export interface CensusEntry {
  readonly class: StatementClass;
  /** The account-keyed tables the statement names, sorted. */
  readonly tables: readonly string[];
  /** The first scenario step that ran it (for the reader; not compared). */
  readonly firstStep: string;
  /** The normalised text. */
  readonly sql: string;
}

/** Transaction control, session settings and plan management: no rows of anyone's. */
const CONTROL =
  /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET |PREPARE |DEALLOCATE |SELECT name FROM pg_prepared_statements)/i;

/** Whitespace collapsed, literal lists and multi-row VALUES shortened to one element. */
export function normalise(sql: string): string {
  let text = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  text = text.replace(/\(\s*\s/g, '(').replace(/\s\)/g, ')');
  // Array literals inlined by a script ('{...}') and lists of literals in IN (...).
  text = text.replace(/'\{(?:[^']|'')*\}'/g, "'{…}'");
  const literal = String.raw`(?:'(?:[^']|'')*'|-?\d+|\$\d+|NULL|true|false)(?:::[\w\[\]]+)?`;
  text = text.replace(new RegExp(String.raw`\bIN \(${literal}(?:, ?${literal})+\)`, 'gi'), 'IN (…)');
  // VALUES (…), (…), … built for a number of rows: keep the first row.
  text = text.replace(/(\bVALUES (\([^()]*\)))(?:, ?\([^()]*\))+/gi, '$1');
  return text;
}

/** The scenario's account keys in a parameter or a text (arrays and JSON included), deduplicated. */
export function accountKeys(
  values: readonly SqlValue[],
  text: string,
  pattern: RegExp,
  into: Set<string>,
): void {
  for (const match of text.matchAll(pattern)) into.add(match[0]);
  for (const value of values) {
    if (Array.isArray(value)) accountKeys(value, '', pattern, into);
    else if (typeof value === 'string') for (const match of value.matchAll(pattern)) into.add(match[0]);
  }
}

/** The account-keyed tables a statement reads or writes (by name after FROM, JOIN, INTO, UPDATE, USING). */
export function keyedTables(sql: string): string[] {
  const found = new Set<string>();
  for (const match of sql.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|USING)\s+(\w+)/gi)) {
    const name = (match[1] as string).toLowerCase();
    if (name in ACCOUNT_KEYED) found.add(name);
  }
  return [...found].sort();
}

/** The text from `start` to the end of the (sub)query it sits in: up to the parenthesis that closes it. */
function restOfQuery(sql: string, start: number): string {
  let depth = 0;
  for (let i = start; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'") {
      const close = sql.indexOf("'", i + 1);
      i = close === -1 ? sql.length : close;
    } else if (c === '(') depth += 1;
    else if (c === ')') {
      if (depth === 0) return sql.slice(start, i);
      depth -= 1;
    }
  }
  return sql.slice(start);
}

/**
 * Whether every use of an account-keyed table in the statement is pinned to accounts by its key
 * column, within the (sub)query that names it: compared with `=` (`= ANY` too) or `IN (...)`, part
 * of a `(key, ...) IN` tuple, or in an INSERT's column list. A heuristic over the text: it cannot
 * tell which alias a column belongs to, so a (sub)query that pins one table by `account` and scans
 * another by the same column name passes.
 */
export function pinnedByKey(sql: string): boolean {
  for (const match of sql.matchAll(/\b(FROM|JOIN|INTO|UPDATE|USING)\s+(\w+)/gi)) {
    const table = (match[2] as string).toLowerCase();
    const key = ACCOUNT_KEYED[table];
    if (key === undefined) continue;
    const rest = restOfQuery(sql, match.index);
    const compared = new RegExp(String.raw`(?:^|[^\w])(?:\w+\.)?${key}\s*(?:=|IN\s*\()`, 'i');
    const tuple = new RegExp(String.raw`\(\s*(?:\w+\.)?${key}\s*,[^()]*\)\s*(?:IN|=)`, 'i');
    const inserted = new RegExp(String.raw`^INTO ${table}\s*\([^)]*\b${key}\b`, 'i');
    if (!compared.test(rest) && !tuple.test(rest) && !inserted.test(rest)) return false;
  }
  return true;
}

interface Tally {
  sql: string;
  tables: string[];
  firstStep: string;
  most: number;
  none: boolean;
}

/** Sorts every recorded statement (control statements left out) into its class, one entry per text. */
export function takeCensus(recorded: readonly RecordedStatement[], accountKey: RegExp): CensusEntry[] {
  const byText = new Map<string, Tally>();
  for (const statement of recorded) {
    if (CONTROL.test(statement.sql.trim())) continue;
    const sql = normalise(statement.sql);
    let tally = byText.get(sql);
    if (tally === undefined) {
      tally = { sql, tables: keyedTables(sql), firstStep: statement.step, most: 0, none: false };
      byText.set(sql, tally);
    }
    const keys = new Set<string>();
    accountKeys(statement.params, statement.sql, accountKey, keys);
    tally.most = Math.max(tally.most, keys.size);
    if (keys.size === 0) tally.none = true;
  }
  return [...byText.values()].map(classify).sort(byClassThenText);
}

function classify(t: Tally): CensusEntry {
  const entry = (cls: StatementClass): CensusEntry => ({
    class: cls,
    tables: t.tables,
    firstStep: t.firstStep,
    sql: t.sql,
  });
  if (t.tables.length === 0) return entry('not-account-keyed');
  if (t.most >= 2) return entry('multi-account');
  if (t.none || !pinnedByKey(t.sql)) return entry('all-accounts');
  return entry('single-account');
}

const order: readonly StatementClass[] = [
  'multi-account',
  'all-accounts',
  'single-account',
  'not-account-keyed',
];

function byClassThenText(a: CensusEntry, b: CensusEntry): number {
  return order.indexOf(a.class) - order.indexOf(b.class) || a.sql.localeCompare(b.sql);
}

/** The entries that cross shards: what the committed list holds. */
export const crossShard = (census: readonly CensusEntry[]): CensusEntry[] =>
  census.filter((e) => e.class === 'multi-account' || e.class === 'all-accounts');

/** Statements added, gone, or moved between classes, one line each; empty when the lists agree. */
export function censusDiff(committed: readonly CensusEntry[], now: readonly CensusEntry[]): string[] {
  const before = new Map(committed.map((e) => [e.sql, e]));
  const after = new Map(now.map((e) => [e.sql, e]));
  const lines: string[] = [];
  for (const [sql, e] of after) {
    const was = before.get(sql);
    if (was === undefined) lines.push(`+ new ${e.class} (first in "${e.firstStep}"): ${sql}`);
    else if (was.class !== e.class) lines.push(`~ ${was.class} -> ${e.class}: ${sql}`);
  }
  for (const [sql, e] of before) {
    if (!after.has(sql)) lines.push(`- gone ${e.class}: ${sql}`);
  }
  return lines;
}

const shorten = (sql: string, max: number) => (sql.length <= max ? sql : `${sql.slice(0, max - 1)}…`);
export const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The markdown table docs/scaling.md carries between its census markers. */
export function renderTable(entries: readonly CensusEntry[]): string {
  const rows = entries.map(
    (e, i) =>
      `| ${i + 1} | ${e.class} | ${e.tables.join(', ')} | ${cell(e.firstStep)} | \`${cell(shorten(e.sql, 120))}\` |`,
  );
  return [
    '| # | class | account-keyed tables | first seen in | statement |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
