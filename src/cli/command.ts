import { parseConfig, type Config } from '../config.ts';

/**
 * A `connects` sub-command. Each command is one file under commands/ and one
 * line in commands/index.ts. The runner parses options with node:util
 * parseArgs, adds --json and --help to every command, and turns thrown
 * errors into exit codes, so a command only does its work.
 */

export const EXIT_OK = 0;
/** An expected failure: insufficient Connects, unknown freelancer... */
export const EXIT_BUSINESS = 1;
/** Bad arguments or configuration: nothing was attempted. */
export const EXIT_USAGE = 2;
/** A bug or an unexpected failure (the database failing mid-way...); the message says which. */
export const EXIT_INTERNAL = 3;
/**
 * The store cannot be opened: the embedded folder is held by another process
 * (a running `serve`), cannot be created, or the database is unreachable.
 * Nothing was attempted; the message names the holder or the cause.
 */
export const EXIT_STORE = 4;

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly description: string;
  /** Shown in help after the flag, e.g. --as-of DATE. */
  readonly placeholder?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export type OptionValues<O extends OptionSpecs> = {
  readonly [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean | undefined : string | undefined;
};

/** Where a command writes, and what it reads from its surroundings; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  readonly interactive: boolean;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); long-running commands await it. */
  readonly stopSignal: Promise<string>;
}

export interface CommandInput<O extends OptionSpecs> {
  readonly values: OptionValues<O>;
  readonly positionals: readonly string[];
  /** --json: print one JSON document on stdout instead of human text. */
  readonly json: boolean;
  readonly io: CliIo;
}

export interface Command<O extends OptionSpecs = OptionSpecs> {
  /** One or two words: 'serve', 'promo create'. */
  readonly name: string;
  readonly summary: string;
  /** Positional arguments as shown in help, e.g. '<freelancer-id>'. */
  readonly args?: string;
  readonly positionals?: { readonly min: number; readonly max: number };
  readonly options: O;
  /** Longer help text: what it does, examples. */
  readonly details?: string;
  run(input: CommandInput<O>): Promise<number | void>;
}

/** Keeps the option types of one command while the list holds many. */
export function defineCommand<O extends OptionSpecs>(command: Command<O>): Command {
  return command as unknown as Command;
}

/** A failure with a chosen exit code and a message for the user (no stack). */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string): CliError => new CliError(EXIT_USAGE, message);

/** Configuration problems stop a command before it does anything, with exit code 2. */
export function loadConfig(io: CliIo): Config {
  const result = parseConfig(io.env, io.cwd);
  if (!result.ok) throw new CliError(EXIT_USAGE, result.error.message);
  return result.value;
}
