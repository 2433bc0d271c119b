import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { createLedgerStore } from '../../src/store/ledger-store.ts';
import { recordingClient } from '../../src/store/testing/recording-client.ts';
import { testEngines } from '../../src/store/testing/test-engines.ts';
import { censusDiff, crossShard, renderTable, takeCensus, type CensusEntry } from './census.ts';
import { ACCOUNT_KEY, runScenario } from './scenario.ts';

/**
 * The plan in docs/scaling.md shards every account-keyed table by account. It
 * holds only while we know which statements cross accounts: this test runs a
 * month of the marketplace through the real use cases, records every
 * statement, and compares the ones that touch several accounts or all of them
 * with the committed list. A new one (or one gone) fails the test: look at it,
 * say in docs/scaling.md what it means for sharding, then rewrite the list with
 *
 *   UPDATE_SCALING_CENSUS=1 npx vitest run test/scaling/statement-census.test.ts
 */

const LIST = fileURLToPath(new URL('./statement-census.json', import.meta.url));
const DOCS = fileURLToPath(new URL('../../docs/scaling.md', import.meta.url));
const START = '<!-- statement-census:start -->';
const END = '<!-- statement-census:end -->';
const UPDATE = process.env['UPDATE_SCALING_CENSUS'] === '1';
const HOW_TO_UPDATE =
  'If the change is meant, explain it in docs/scaling.md, then run\n' +
  '  UPDATE_SCALING_CENSUS=1 npx vitest run test/scaling/statement-census.test.ts\n' +
  'which rewrites test/scaling/statement-census.json and the table in docs/scaling.md.';

const readList = (): CensusEntry[] => JSON.parse(readFileSync(LIST, 'utf8')) as CensusEntry[];

async function formatted(text: string, file: string): Promise<string> {
  const config = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...config, filepath: file });
}

/** The docs' table rows between the markers, with the padding prettier adds taken out. */
function docsTable(docs: string): string {
  const start = docs.indexOf(START);
  const end = docs.indexOf(END);
  if (start === -1 || end < start) throw new Error(`docs/scaling.md lacks the ${START} ... ${END} markers`);
  return tableRows(docs.slice(start + START.length, end));
}

const tableRows = (markdown: string): string =>
  markdown
    .split('\n')
    .map((line) => line.trim().replace(/ {2,}/g, ' ').replace(/-{3,}/g, '---'))
    .filter((line) => line.startsWith('|'))
    .join('\n');

async function writeList(entries: readonly CensusEntry[]): Promise<void> {
  writeFileSync(LIST, await formatted(JSON.stringify(entries), LIST));
  const docs = readFileSync(DOCS, 'utf8');
  const start = docs.indexOf(START);
  const end = docs.indexOf(END);
  if (start === -1 || end < start) throw new Error(`docs/scaling.md lacks the ${START} ... ${END} markers`);
  const table = renderTable(entries);
  const rewritten = `${docs.slice(0, start + START.length)}\n\n${table}\n\n${docs.slice(end)}`;
  writeFileSync(DOCS, await formatted(rewritten, DOCS));
}

/**
 * PostgreSQL only: the recorder sits above the engine adapters, which send the same statement texts
 * (the same 106 on PGlite when this was written), and the embedded engine's start-up would double the time.
 */
const engines = testEngines.filter((engine) => engine.name === 'postgres');

describe.each(engines)('statement census on $name', (engine) => {
  it('lists exactly the committed statements that cross accounts', async () => {
    const opened = await engine.open();
    try {
      const recorder = recordingClient(opened.client);
      // The store is not closed: the engine owns the client.
      const store = createLedgerStore(recorder);
      await runScenario(store, (label) => (recorder.step = label));
      const census = takeCensus(recorder.recorded, ACCOUNT_KEY);
      // The scenario must reach the statements the plan is about.
      expect(census.filter((e) => e.class === 'single-account').length).toBeGreaterThan(30);
      const listed = crossShard(census);
      if (UPDATE) await writeList(listed);
      const diff = censusDiff(readList(), listed);
      expect(diff, `The statements that cross account shards changed.\n${HOW_TO_UPDATE}`).toEqual([]);
    } finally {
      await opened.cleanup();
    }
  }, 60_000);
});

describe('docs/scaling.md', () => {
  it('shows the committed census', () => {
    const docs = readFileSync(DOCS, 'utf8');
    expect(docsTable(docs), `docs/scaling.md's census table is stale.\n${HOW_TO_UPDATE}`).toBe(
      tableRows(renderTable(readList())),
    );
  });
});
