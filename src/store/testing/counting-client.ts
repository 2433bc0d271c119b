import type { SqlClient, SqlQueryable, SqlSession } from '../sql-client.ts';

/** What a counting client saw since its last reset. */
export interface StatementCount {
  /** Statements the database ran, BEGIN and COMMIT of `transaction` included. */
  statements: number;
  /** Messages that waited for an answer: each query, each script, and BEGIN and COMMIT of `transaction`. */
  roundTrips: number;
  /** The statements' text, in order (BEGIN and COMMIT of `transaction` as such). */
  log: string[];
}

/** Statements in a script: the batcher's scripts separate theirs with `;` and carry no `;` in literals. */
const statementsIn = (script: string): string[] =>
  script
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '');

/**
 * Wraps a real client and counts the statements and round trips that go
 * through it, so a test can hold a use case to a statement budget. The
 * database work is the real client's; only the counting is added.
 */
export function countingClient(inner: SqlClient): SqlClient & { count: StatementCount; reset(): void } {
  const count: StatementCount = { statements: 0, roundTrips: 0, log: [] };
  const counted = <Q extends SqlQueryable>(q: Q): Q => ({
    ...q,
    query(sql, params, name) {
      count.statements += 1;
      count.roundTrips += 1;
      count.log.push(sql);
      return q.query(sql, params, name);
    },
    script(sql) {
      const parts = statementsIn(sql);
      count.statements += parts.length;
      count.roundTrips += 1;
      count.log.push(...parts);
      return q.script(sql);
    },
  });
  return {
    ...counted(inner),
    engine: inner.engine,
    maxConcurrentTransactions: inner.maxConcurrentTransactions,
    count,
    reset() {
      count.statements = 0;
      count.roundTrips = 0;
      count.log.length = 0;
    },
    transaction(fn) {
      return inner.transaction(async (tx) => {
        count.statements += 1;
        count.roundTrips += 1;
        count.log.push('BEGIN');
        const value = await fn(counted(tx));
        count.statements += 1;
        count.roundTrips += 1;
        count.log.push('COMMIT');
        return value;
      });
    },
    session: (fn) => inner.session((session: SqlSession) => fn(counted(session))),
    close: () => inner.close(),
  };
}
