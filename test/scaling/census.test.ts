import { describe, expect, it } from 'vitest';
import type { RecordedStatement } from '../../src/store/testing/recording-client.ts';
import { parametrise, splitScript } from '../../src/store/testing/recording-client.ts';
import { censusDiff, normalise, takeCensus, type CensusEntry } from './census.ts';
import { crossShardTransactions } from './transactions.ts';

const KEY = /acct-[a-z]+/g;
const run = (sql: string, params: RecordedStatement['params'] = []): RecordedStatement => ({
  sql,
  params,
  step: 'test',
  unit: 0,
  session: false,
});
const classOf = (statements: RecordedStatement[]) =>
  takeCensus(statements, KEY).map((e) => [e.class, e.sql.slice(0, 20)]);

describe('splitScript', () => {
  it('splits at semicolons outside literals and drops comments', () => {
    expect(splitScript('BEGIN; SELECT \'a;b\' AS "x;y"; -- done; really\nCOMMIT')).toEqual([
      'BEGIN',
      `SELECT 'a;b' AS "x;y"`,
      'COMMIT',
    ]);
    expect(splitScript("SELECT 'it''s; fine'")).toEqual(["SELECT 'it''s; fine'"]);
  });

  it('keeps dollar-quoted literals whole, and takes them out as parameters', () => {
    const [load, lock] = splitScript('SELECT $p${"a":";"}$p$::jsonb; SELECT $p0$x$p$y$p0$, $p$z$p$');
    expect([load, lock]).toEqual(['SELECT $p${"a":";"}$p$::jsonb', 'SELECT $p0$x$p$y$p0$, $p$z$p$']);
    expect(parametrise(lock as string)).toEqual({ sql: 'SELECT $1, $2', params: ['x$p$y', 'z'] });
  });
});

describe('normalise', () => {
  it('collapses whitespace, literal lists and multi-row VALUES', () => {
    expect(normalise('SELECT *\n  FROM lots\n WHERE status IN ($1, $2, $3)')).toBe(
      'SELECT * FROM lots WHERE status IN (…)',
    );
    expect(normalise("SELECT 1 WHERE kind IN ('a', 'b')")).toBe('SELECT 1 WHERE kind IN (…)');
    expect(normalise('INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), ($5, $6)')).toBe(
      'INSERT INTO t (a, b) VALUES ($1, $2)',
    );
    expect(normalise('EXECUTE x(\'{"a","b"}\')')).toBe("EXECUTE x('{…}')");
  });
});

describe('takeCensus', () => {
  it('sorts statements by the accounts their runs name', () => {
    const census = classOf([
      run('SELECT * FROM lots WHERE account = $1', ['acct-ada']),
      run('SELECT * FROM lots WHERE account = $1', ['acct-bo']),
      run('UPDATE accounts SET seq = seq + 1 WHERE account = ANY($1::text[])', [['acct-ada', 'acct-bo']]),
      run('EXECUTE-like', ['{"accounts":["acct-ada"]}']),
      run('SELECT DISTINCT account FROM lots WHERE expires_at <= $1', [5]),
      run('UPDATE jobs SET proposal_count = proposal_count + 1 WHERE job_id = $1', ['job-1']),
      // A job-wide read that names a freelancer only to leave it out: every shard.
      run('SELECT count(*) FROM proposals WHERE job_id = $1 AND freelancer_id <> $2', ['job-1', 'acct-ada']),
      run('INSERT INTO purchases (freelancer_id, purchase_id) VALUES ($1, $2)', ['acct-ada', 'p-1']),
      run('BEGIN'),
      run('COMMIT'),
    ]);
    expect(census).toEqual([
      ['multi-account', 'UPDATE accounts SET '],
      ['all-accounts', 'SELECT count(*) FROM'],
      ['all-accounts', 'SELECT DISTINCT acco'],
      ['single-account', 'INSERT INTO purchase'],
      ['single-account', 'SELECT * FROM lots W'],
      ['not-account-keyed', 'EXECUTE-like'],
      ['not-account-keyed', 'UPDATE jobs SET prop'],
    ]);
  });

  it('a statement that once ran with several accounts is multi-account', () => {
    const sql = 'SELECT * FROM holds WHERE account = ANY($1)';
    expect(classOf([run(sql, [['acct-ada']]), run(sql, [['acct-ada', 'acct-cy']])])).toEqual([
      ['multi-account', sql.slice(0, 20)],
    ]);
  });
});

describe('censusDiff', () => {
  const entry = (cls: CensusEntry['class'], sql: string): CensusEntry => ({
    class: cls,
    tables: [],
    firstStep: 's',
    sql,
  });
  it('names statements added, gone and moved', () => {
    expect(
      censusDiff(
        [entry('multi-account', 'A'), entry('all-accounts', 'B')],
        [entry('all-accounts', 'A'), entry('all-accounts', 'C')],
      ),
    ).toEqual([
      '~ multi-account -> all-accounts: A',
      '+ new all-accounts (first in "s"): C',
      '- gone all-accounts: B',
    ]);
  });
});

describe('crossShardTransactions', () => {
  const inUnit = (unit: number, sql: string, params: RecordedStatement['params'], session = false) => ({
    ...run(sql, params),
    step: `step ${unit}`,
    unit,
    session,
  });
  it('keeps transactions over several accounts, or one account and a shared row written or locked', () => {
    const tables = new Set(['jobs', 'lots', 'promo_codes', 'accounts']);
    const shapes = crossShardTransactions(
      [
        inUnit(1, 'WITH locked AS (SELECT * FROM jobs WHERE job_id = $1 FOR UPDATE) SELECT * FROM locked', [
          'j',
        ]),
        inUnit(1, 'SELECT * FROM lots WHERE account = $1', ['acct-ada']),
        inUnit(2, 'UPDATE accounts SET seq = seq + 1 WHERE account = ANY($1)', [['acct-ada', 'acct-bo']]),
        // The batcher's session, a one-account transaction, and a read of a shared row: left out.
        inUnit(
          3,
          'UPDATE accounts SET seq = seq + 1 WHERE account = ANY($1)',
          [['acct-ada', 'acct-bo']],
          true,
        ),
        inUnit(4, 'UPDATE lots SET remaining = 0 WHERE account = $1', ['acct-cy']),
        inUnit(5, 'SELECT * FROM promo_codes WHERE code = $1', ['X']),
        inUnit(5, 'SELECT * FROM lots WHERE account = $1', ['acct-cy']),
        inUnit(0, 'UPDATE accounts SET seq = 0 WHERE account = ANY($1)', [['acct-ada', 'acct-bo']]),
      ],
      KEY,
      tables,
    );
    expect(shapes).toEqual([
      { step: 'step 1', accounts: 'one', shared: ['jobs'] },
      { step: 'step 2', accounts: 'several', shared: [] },
    ]);
  });
});
