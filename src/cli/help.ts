import type { Command, OptionSpec } from './command.ts';

/** Options every command accepts; the runner handles them. */
export const commonOptions = {
  json: { type: 'boolean', description: 'Print one JSON document on stdout instead of text.' },
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
} as const satisfies Record<string, OptionSpec>;

function flag(name: string, spec: OptionSpec): string {
  const short = spec.short === undefined ? '    ' : `-${spec.short}, `;
  const value = spec.type === 'string' ? ` ${spec.placeholder ?? 'VALUE'}` : '';
  return `${short}--${name}${value}`;
}

export function commandHelp(command: Command): string {
  const options = { ...command.options, ...commonOptions };
  const flags = Object.entries(options).map(([name, spec]) => [flag(name, spec), spec.description] as const);
  const width = Math.max(...flags.map(([f]) => f.length));
  const lines = [
    `Usage: connects ${command.name}${command.args === undefined ? '' : ` ${command.args}`} [options]`,
    '',
    command.summary,
    ...(command.details === undefined ? [] : ['', command.details]),
    '',
    'Options:',
    ...flags.map(([f, description]) => `  ${f.padEnd(width)}  ${description}`),
    '',
  ];
  return lines.join('\n');
}

export function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: connects <command> [options]',
    '',
    'The Connects ledger service and its operator tools.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `connects <command> --help` for the options of a command.',
    'Configuration comes from the environment (PORT, CONNECTS_DATA_DIR, DATABASE_URL, CONNECTS_ADMIN_TOKEN,',
    'CONNECTS_MANUAL_CLOCK); see docs/configuration.md.',
    'Exit codes: 0 ok, 1 business error (verify: discrepancies found), 2 usage or configuration error,',
    '3 unexpected error, 4 the store cannot be opened (an embedded folder held by a running server...).',
    '',
  ].join('\n');
}
