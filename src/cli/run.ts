import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConnectsFailure } from '../core/errors.ts';
import {
  CliError,
  EXIT_BUSINESS,
  EXIT_INTERNAL,
  EXIT_OK,
  EXIT_STORE,
  EXIT_USAGE,
  type CliIo,
  type Command,
  type OptionSpec,
  type OptionValues,
} from './command.ts';
import { commandHelp, commonOptions, globalHelp } from './help.ts';

/** The command whose (one- or two-word) name starts argv, longest name first. */
function findCommand(argv: readonly string[], commands: readonly Command[]): Command | undefined {
  const sorted = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  return sorted.find((c) => {
    const words = c.name.split(' ');
    return words.every((word, i) => argv[i] === word);
  });
}

function parse(command: Command, args: string[]) {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  const specs: Record<string, OptionSpec> = { ...command.options, ...commonOptions };
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short };
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: command.positionals !== undefined });
  } catch (error) {
    throw new CliError(EXIT_USAGE, `${(error as Error).message}\nRun \`connects ${command.name} --help\`.`);
  }
}

const plainCodes = new Set(['usage', 'failed', 'internal', 'store_unavailable']);

const cliErrorCodes: Readonly<Record<number, string>> = {
  [EXIT_USAGE]: 'usage',
  [EXIT_STORE]: 'store_unavailable',
};

/** With --json the error is the JSON document (same shape as the API's); otherwise a line on stderr. */
function reportError(
  io: CliIo,
  json: boolean,
  error: { code: string; message: string; details?: unknown },
): void {
  if (json) io.stdout(`${JSON.stringify({ error }, null, 2)}\n`);
  else io.stderr(`connects: ${error.message}${plainCodes.has(error.code) ? '' : ` (${error.code})`}\n`);
}

/** Runs one command line and returns its exit code; never throws. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly Command[],
): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    (first === undefined ? io.stderr : io.stdout)(globalHelp(commands));
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = findCommand(argv, commands);
  if (command === undefined) {
    io.stderr(`connects: unknown command '${first}'. Run \`connects --help\` for the list.\n`);
    return EXIT_USAGE;
  }
  const rest = argv.slice(command.name.split(' ').length);
  const json = rest.includes('--json');
  try {
    const { values, positionals } = parse(command, rest);
    if (values.help === true) {
      io.stdout(commandHelp(command));
      return EXIT_OK;
    }
    const { min, max } = command.positionals ?? { min: 0, max: 0 };
    if (positionals.length < min || positionals.length > max) {
      const expected = command.args ?? 'no arguments';
      throw new CliError(EXIT_USAGE, `expected ${expected}. Run \`connects ${command.name} --help\`.`);
    }
    const code = await command.run({
      values: values as OptionValues<typeof command.options>,
      positionals,
      json,
      io,
    });
    return code ?? EXIT_OK;
  } catch (error) {
    if (error instanceof CliError) {
      reportError(io, json, {
        code: cliErrorCodes[error.exitCode] ?? 'failed',
        message: error.message,
      });
      return error.exitCode;
    }
    if (error instanceof ConnectsFailure) {
      reportError(io, json, error.toError());
      return EXIT_BUSINESS;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    reportError(io, json, { code: 'internal', message: `unexpected error: ${message}` });
    return EXIT_INTERNAL;
  }
}
