import type { SqlClient, SqlQueryable } from '../src/store/sql-client.ts';

/** Time spent per kind of statement, summed over every connection (so it can exceed the wall time). */
export interface StatementTimes {
  readonly byKind: Map<string, { count: number; ms: number }>;
  reset(): void;
  /** One line per kind, most time first. */
  report(): string[];
}

/** A statement's kind: its first words, up to the first parenthesis or parameter. */
const kindOf = (sql: string): string =>
  sql
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60)
    .replace(/[($].*$/, '')
    .trim();

/**
 * Wraps a client so that every query and script inside its transactions and
 * sessions is timed by kind; the bench prints where the tick's time went.
 */
export function timedClient(inner: SqlClient): SqlClient & { times: StatementTimes } {
  const byKind = new Map<string, { count: number; ms: number }>();
  const note = async <T>(kind: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      const seen = byKind.get(kind) ?? { count: 0, ms: 0 };
      seen.count += 1;
      seen.ms += performance.now() - started;
      byKind.set(kind, seen);
    }
  };
  const timed = <Q extends SqlQueryable>(q: Q): Q => ({
    ...q,
    query: (sql, params, name) => note(kindOf(sql), () => q.query(sql, params, name)),
    script: (sql) => note(kindOf(sql), () => q.script(sql)),
  });
  const times: StatementTimes = {
    byKind,
    reset: () => byKind.clear(),
    report: () =>
      [...byKind.entries()]
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(
          ([kind, t]) => `${(t.ms / 1000).toFixed(2).padStart(8)} s ${String(t.count).padStart(6)}x  ${kind}`,
        ),
  };
  return {
    ...timed(inner),
    engine: inner.engine,
    maxConcurrentTransactions: inner.maxConcurrentTransactions,
    times,
    transaction: (fn) =>
      note('whole transactions, BEGIN to COMMIT', () => inner.transaction((tx) => fn(timed(tx)))),
    session: (fn) => inner.session((session) => fn(timed(session))),
    close: () => inner.close(),
  };
}
