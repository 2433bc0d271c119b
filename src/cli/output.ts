import type { CliIo } from './command.ts';

/**
 * Output conventions: with --json a command prints exactly one JSON document
 * on stdout (scripts parse it); otherwise human text and tables. Errors and
 * progress always go to stderr so they never corrupt the JSON.
 */

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

export interface Column<R> {
  readonly header: string;
  readonly value: (row: R) => string | number | boolean | null | undefined;
  /** Numbers read best right-aligned. */
  readonly align?: 'left' | 'right';
}

/** A plain-text table with a header row and a rule; columns sized to their widest cell. */
export function formatTable<R>(rows: readonly R[], columns: readonly Column<R>[]): string {
  const cells = rows.map((row) => columns.map((column) => String(column.value(row) ?? '')));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((line) => (line[i] as string).length)),
  );
  const render = (line: readonly string[]): string =>
    line
      .map((cell, i) => {
        const width = widths[i] as number;
        return columns[i]?.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const header = render(columns.map((column) => column.header));
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [header, rule, ...cells.map(render)].join('\n') + '\n';
}

/** Key-value lines with aligned values: "Store:   embedded". */
export function formatFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...fields.map(([key]) => key.length + 1));
  return fields.map(([key, value]) => `  ${`${key}:`.padEnd(width)}  ${value}`).join('\n') + '\n';
}

export interface Progress {
  update(done: number): void;
  finish(): void;
}

/**
 * A progress bar on stderr for long work (ticks over many accounts, exports).
 * Drawn only on a terminal and at most every 100 ms; silent otherwise.
 */
export function createProgress(io: CliIo, label: string, total: number): Progress {
  if (!io.interactive || total <= 0) return { update: () => undefined, finish: () => undefined };
  const width = 30;
  let last = 0;
  const draw = (done: number): void => {
    const ratio = Math.min(1, done / total);
    const filled = Math.round(ratio * width);
    const percent = String(Math.floor(ratio * 100)).padStart(3);
    io.stderr(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${percent}% ${done}/${total}`);
  };
  return {
    update(done) {
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done);
    },
    finish() {
      draw(total);
      io.stderr('\n');
    },
  };
}

/** "1 account", "2 accounts": a count with its noun, singular for one. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
