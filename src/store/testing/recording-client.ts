import type { SqlClient, SqlQueryable, SqlSession, SqlValue } from '../sql-client.ts';

/** One statement the database ran, as the store sent it. */
export interface RecordedStatement {
  /** The statement's text; an `EXECUTE name(...)` is recorded as the text `name` was PREPAREd with. */
  readonly sql: string;
  /** Bound parameters; for an EXECUTE, its argument list as one string (the batcher inlines its payload). */
  readonly params: readonly SqlValue[];
  /** What the test was doing when the statement ran (the recorder's `step` at the time). */
  readonly step: string;
  /** Which `transaction` or `session` call ran it (numbered from 1), or 0 for a statement on its own. */
  readonly unit: number;
  /**
   * Whether that unit was a `session` (the ledger batcher's, or a round of a use case: its scripts open and
   * commit their own transactions).
   */
  readonly session: boolean;
}

/**
 * A script's statements, split at the semicolons outside string literals,
 * quoted identifiers and `--` comments (the comments are dropped).
 */
export function splitScript(script: string): string[] {
  const parts: string[] = [];
  let current = '';
  let i = 0;
  while (i < script.length) {
    const c = script[i] as string;
    const tag = c === '$' ? DOLLAR_TAG.exec(script.slice(i, i + 12))?.[0] : undefined;
    if (c === "'" || c === '"') {
      const end = closingQuote(script, i, c);
      current += script.slice(i, end);
      i = end;
    } else if (tag !== undefined) {
      const close = script.indexOf(tag, i + tag.length);
      const end = close === -1 ? script.length : close + tag.length;
      current += script.slice(i, end);
      i = end;
    } else if (c === '-' && script[i + 1] === '-') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end;
    } else if (c === ';') {
      parts.push(current);
      current = '';
      i += 1;
    } else {
      current += c;
      i += 1;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

/** The opening tag of a dollar-quoted literal as the store writes them ($p$, $p0$, ...). */
const DOLLAR_TAG = /^\$p\d*\$/;

/**
 * A statement with its dollar-quoted literals taken out as parameters ($1, $2, ... in order), so a
 * statement sent with inlined values is recorded as the same text as when it is sent with bound ones.
 */
export function parametrise(statement: string): { sql: string; params: string[] } {
  const params: string[] = [];
  const sql = statement.replace(/(\$p\d*\$)([\s\S]*?)\1/g, (_, _tag: string, body: string) => {
    params.push(body);
    return `$${params.length}`;
  });
  return { sql, params };
}

/** The index just past the quote that closes the one at `start` (a doubled quote is an escaped one). */
function closingQuote(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i += 1;
  }
  return text.length;
}

const PREPARE = /^PREPARE\s+(\w+)\s*(?:\([^)]*\))?\s+AS\s+([\s\S]+)$/i;
const EXECUTE = /^EXECUTE\s+(\w+)\s*(?:\(([\s\S]*)\))?$/i;

export interface RecordingClient extends SqlClient {
  /** Every statement run through this client since the last `clear`, in order. */
  readonly recorded: RecordedStatement[];
  /** A label stamped on the statements recorded from now on. */
  step: string;
  clear(): void;
}

/**
 * Wraps a real client and records every statement that goes through it, with
 * its parameters: queries, each statement of a script, and BEGIN and COMMIT
 * of `transaction`. The database work is the real client's. A statement run
 * through a prepared name is recorded with the text it was prepared with, so
 * a census sees the same statement on a direct connection and behind a pooler.
 */
export function recordingClient(inner: SqlClient): RecordingClient {
  const recorded: RecordedStatement[] = [];
  const preparedText = new Map<string, string>();
  const state = { step: '', units: 0 };
  const recordIn =
    (unit: number, session = false) =>
    (sql: string, params: readonly SqlValue[]) => {
      recorded.push({ sql, params, step: state.step, unit, session });
    };
  const recordScriptPart = (record: ReturnType<typeof recordIn>, part: string) => {
    const prepare = PREPARE.exec(part);
    if (prepare !== null) preparedText.set(prepare[1] as string, (prepare[2] as string).trim());
    const execute = EXECUTE.exec(part);
    const text = execute === null ? undefined : preparedText.get(execute[1] as string);
    if (execute !== null && text !== undefined) record(text, [execute[2] ?? '']);
    else {
      const { sql, params } = parametrise(part);
      record(sql, params);
    }
  };
  const recording = <Q extends SqlQueryable>(q: Q, unit: number, session = false): Q => {
    const record = recordIn(unit, session);
    return {
      ...q,
      query(sql, params, name) {
        record(sql, params ?? []);
        return q.query(sql, params, name);
      },
      script(sql) {
        for (const part of splitScript(sql)) recordScriptPart(record, part);
        return q.script(sql);
      },
    };
  };
  return {
    ...recording(inner, 0),
    engine: inner.engine,
    maxConcurrentTransactions: inner.maxConcurrentTransactions,
    recorded,
    get step() {
      return state.step;
    },
    set step(label: string) {
      state.step = label;
    },
    clear() {
      recorded.length = 0;
    },
    transaction(fn) {
      return inner.transaction(async (tx) => {
        const unit = (state.units += 1);
        const record = recordIn(unit);
        record('BEGIN', []);
        const value = await fn(recording(tx, unit));
        record('COMMIT', []);
        return value;
      });
    },
    session: (fn) => inner.session((session: SqlSession) => fn(recording(session, (state.units += 1), true))),
    close: () => inner.close(),
  };
}
