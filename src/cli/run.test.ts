import { describe, expect, it } from 'vitest';
import { connectsError, ConnectsFailure } from '../core/errors.ts';
import { defineCommand, EXIT_BUSINESS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, usageError } from './command.ts';
import { formatTable } from './output.ts';
import { runCli } from './run.ts';
import { fakeIo } from './testing/fake-io.ts';

const seen: unknown[] = [];
const commands = [
  defineCommand({
    name: 'balance',
    summary: 'Show a balance.',
    args: '<freelancer-id>',
    positionals: { min: 1, max: 1 },
    options: { 'as-of': { type: 'string', placeholder: 'DATE', description: 'The instant to ask about.' } },
    async run({ values, positionals, json, io }) {
      seen.push({ asOf: values['as-of'], positionals, json });
      if (positionals[0] === 'ghost')
        throw new ConnectsFailure(connectsError('freelancer_not_found', 'No ghost.'));
      if (positionals[0] === 'bug') throw new Error('boom');
      if (positionals[0] === 'bad') throw usageError('bad date');
      io.stdout('42\n');
    },
  }),
  defineCommand({
    name: 'promo create',
    summary: 'Create a promo code.',
    options: { force: { type: 'boolean', short: 'f', description: 'Overwrite.' } },
    async run({ values }) {
      seen.push({ force: values.force });
      return 0;
    },
  }),
];

describe('runCli', () => {
  it('runs a command with its options and positionals', async () => {
    const io = fakeIo();
    expect(await runCli(['balance', 'ada', '--as-of', '2024-01-01'], io, commands)).toBe(EXIT_OK);
    expect(io.out).toEqual(['42\n']);
    expect(seen.at(-1)).toEqual({ asOf: '2024-01-01', positionals: ['ada'], json: false });
  });

  it('matches two-word commands and short flags', async () => {
    expect(await runCli(['promo', 'create', '-f'], fakeIo(), commands)).toBe(EXIT_OK);
    expect(seen.at(-1)).toEqual({ force: true });
  });

  it('prints the list of commands: on request to stdout (0), without a command to stderr (2)', async () => {
    const asked = fakeIo();
    expect(await runCli(['--help'], asked, commands)).toBe(EXIT_OK);
    expect(asked.out.join('')).toContain('promo create  Create a promo code.');
    const bare = fakeIo();
    expect(await runCli([], bare, commands)).toBe(EXIT_USAGE);
    expect(bare.err.join('')).toContain('Usage: connects <command>');
  });

  it('prints a command’s help with every option, --json and --help included', async () => {
    const io = fakeIo();
    expect(await runCli(['balance', '--help'], io, commands)).toBe(EXIT_OK);
    const help = io.out.join('');
    expect(help).toContain('Usage: connects balance <freelancer-id> [options]');
    expect(help).toMatch(/--as-of DATE\s+The instant to ask about\./);
    expect(help).toMatch(/--json\s+Print one JSON document/);
    expect(help).toMatch(/-h, --help/);
  });

  it.each([
    [['nope'], "unknown command 'nope'"],
    [['balance'], 'expected <freelancer-id>'],
    [['balance', 'a', 'b'], 'expected <freelancer-id>'],
    [['balance', 'ada', '--colour'], "Unknown option '--colour'"],
    [['balance', 'ada', '--as-of'], "Option '--as-of <value>' argument missing"],
    [['balance', 'bad'], 'bad date'],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const io = fakeIo();
    expect(await runCli(argv, io, commands)).toBe(EXIT_USAGE);
    expect(io.err.join('')).toContain(message);
    expect(io.out).toEqual([]);
  });

  it('a business error exits 1 with its code; with --json the error is the JSON document', async () => {
    const io = fakeIo();
    expect(await runCli(['balance', 'ghost'], io, commands)).toBe(EXIT_BUSINESS);
    expect(io.err.join('')).toBe('connects: No ghost. (freelancer_not_found)\n');
    const json = fakeIo();
    expect(await runCli(['balance', 'ghost', '--json'], json, commands)).toBe(EXIT_BUSINESS);
    expect(JSON.parse(json.out.join(''))).toEqual({
      error: { code: 'freelancer_not_found', message: 'No ghost.' },
    });
  });

  it('an unexpected error exits 3 with its stack', async () => {
    const io = fakeIo();
    expect(await runCli(['balance', 'bug'], io, commands)).toBe(EXIT_INTERNAL);
    expect(io.err.join('')).toMatch(/^connects: unexpected error: Error: boom\n\s+at /);
  });
});

describe('formatTable', () => {
  it('sizes columns to their widest cell and right-aligns numbers', () => {
    const rows = [
      { id: 'ada', balance: 50 },
      { id: 'bartholomew', balance: 7 },
    ];
    const text = formatTable(rows, [
      { header: 'freelancer', value: (r) => r.id },
      { header: 'balance', value: (r) => r.balance, align: 'right' },
    ]);
    expect(text).toBe(
      [
        'freelancer   balance',
        '-----------  -------',
        'ada               50',
        'bartholomew        7',
        '',
      ].join('\n'),
    );
  });
});
