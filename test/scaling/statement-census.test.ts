import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedgerStore } from '../../src/store/ledger-store.ts';
import type { SqlClient } from '../../src/store/sql-client.ts';
import { recordingClient } from '../../src/store/testing/recording-client.ts';
import { testEngines, type OpenedEngine } from '../../src/store/testing/test-engines.ts';
import {
  ACCOUNT_COLUMNS,
  ACCOUNT_KEYED,
  censusDiff,
  crossShard,
  renderTable,
  NOT_ACCOUNT_KEYED,
  takeCensus,
  type CensusEntry,
} from './census.ts';
import {
  crossShardTransactions,
  renderTransactions,
  transactionDiff,
  type CrossShardTransaction,
} from './transactions.ts';
import { ACCOUNT_KEY, runScenario } from './scenario.ts';

/**
 * The plan in docs/scaling.md shards every account-keyed table by account. It
 * holds only while we know which statements cross accounts: this test runs a
 * month of the marketplace through the real use cases, records every
 * statement, and compares the ones that touch several accounts or all of them
 * with the committed list, and likewise the transactions that would span
 * shards (several accounts, or an account and a job or promo code it writes).
 * A new one (or one gone) fails the test: look at it,
 * say in docs/scaling.md what it means for sharding, then rewrite the list with
 *
 *   UPDATE_SCALING_CENSUS=1 npx vitest run test/scaling/statement-census.test.ts
 */

const LIST = fileURLToPath(new URL('./statement-census.json', import.meta.url));
const DOCS = fileURLToPath(new URL('../../docs/scaling.md', import.meta.url));
const UPDATE = process.env['UPDATE_SCALING_CENSUS'] === '1';
const HOW_TO_UPDATE =
  'If the change is meant, explain it in docs/scaling.md, then run\n' +
  '  UPDATE_SCALING_CENSUS=1 npx vitest run test/scaling/statement-census.test.ts\n' +
  'which rewrites test/scaling/statement-census.json and the tables in docs/scaling.md.';

/** What the committed file holds. */
interface CommittedCensus {
  readonly statements: CensusEntry[];
  readonly transactions: CrossShardTransaction[];
}

const readList = (): CommittedCensus => JSON.parse(readFileSync(LIST, 'utf8')) as CommittedCensus;

async function formatted(text: string, file: string): Promise<string> {
  const config = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...config, filepath: file });
}

/** Where docs/scaling.md carries a generated table: between `<!-- name:start -->` and `<!-- name:end -->`. */
function markers(docs: string, name: string): { readonly from: number; readonly to: number } {
  const [start, end] = [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
  const from = docs.indexOf(start);
  const to = docs.indexOf(end);
  if (from === -1 || to < from) throw new Error(`docs/scaling.md lacks the ${start} ... ${end} markers`);
  return { from: from + start.length, to };
}

/** A markdown table's rows, with the padding prettier adds taken out. */
const tableRows = (markdown: string): string =>
  markdown
    .split('\n')
    .map((line) => line.trim().replace(/ {2,}/g, ' ').replace(/-{3,}/g, '---'))
    .filter((line) => line.startsWith('|'))
    .join('\n');

const docsTable = (docs: string, name: string): string => {
  const { from, to } = markers(docs, name);
  return tableRows(docs.slice(from, to));
};

function withTable(docs: string, name: string, table: string): string {
  const { from, to } = markers(docs, name);
  return `${docs.slice(0, from)}\n\n${table}\n\n${docs.slice(to)}`;
}

async function writeList(census: CommittedCensus): Promise<void> {
  writeFileSync(LIST, await formatted(JSON.stringify(census), LIST));
  let docs = readFileSync(DOCS, 'utf8');
  docs = withTable(docs, 'statement-census', renderTable(census.statements));
  docs = withTable(docs, 'transaction-census', renderTransactions(census.transactions));
  writeFileSync(DOCS, await formatted(docs, DOCS));
}

async function schemaTables(client: SqlClient): Promise<Set<string>> {
  const rows = await client.query<{ name: string }>(
    'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() UNION SELECT viewname FROM pg_views WHERE schemaname = current_schema()',
  );
  return new Set(rows.rows.map((row) => row.name));
}

/**
 * PostgreSQL only: the recorder sits above the engine adapters, which send the same statement texts
 * (the same 108 on PGlite when last compared), and the embedded engine's start-up would double the time.
 */
const engines = testEngines.filter((engine) => engine.name === 'postgres');

describe.each(engines)('statement census on $name', (engine) => {
  let opened: OpenedEngine;
  beforeAll(async () => {
    opened = await engine.open();
  });
  afterAll(() => opened.cleanup());

  it('every table with a freelancer column is classified', async () => {
    const rows = await opened.client.query<{ table_name: string }>(
      `SELECT DISTINCT table_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND column_name = ANY($1::text[]) ORDER BY table_name`,
      [ACCOUNT_COLUMNS],
    );
    const unclassified = rows.rows
      .map((row) => row.table_name)
      .filter((table) => !(table in ACCOUNT_KEYED) && !(table in NOT_ACCOUNT_KEYED));
    expect(
      unclassified,
      'A table names a freelancer: add it to ACCOUNT_KEYED (with its key column) or NOT_ACCOUNT_KEYED in test/scaling/census.ts',
    ).toEqual([]);
  });

  it('lists exactly the committed statements and transactions that cross accounts', async () => {
    const tables = await schemaTables(opened.client);
    const recorder = recordingClient(opened.client);
    // The store is not closed: the engine owns the client.
    const store = createLedgerStore(recorder);
    await runScenario(store, (label) => (recorder.step = label));
    const census = takeCensus(recorder.recorded, ACCOUNT_KEY);
    // The scenario must reach the statements the plan is about.
    expect(census.filter((e) => e.class === 'single-account').length).toBeGreaterThan(30);
    const now: CommittedCensus = {
      statements: crossShard(census),
      transactions: crossShardTransactions(recorder.recorded, ACCOUNT_KEY, tables),
    };
    if (UPDATE) await writeList(now);
    const committed = readList();
    const diff = [
      ...censusDiff(committed.statements, now.statements),
      ...transactionDiff(committed.transactions, now.transactions),
    ];
    expect(diff, `What crosses account shards changed.\n${HOW_TO_UPDATE}`).toEqual([]);
  }, 60_000);
});

describe('docs/scaling.md', () => {
  it('shows the committed census', () => {
    const docs = readFileSync(DOCS, 'utf8');
    const { statements, transactions } = readList();
    const stale = `docs/scaling.md's census tables are stale.\n${HOW_TO_UPDATE}`;
    expect(docsTable(docs, 'statement-census'), stale).toBe(tableRows(renderTable(statements)));
    expect(docsTable(docs, 'transaction-census'), stale).toBe(tableRows(renderTransactions(transactions)));
  });
});
