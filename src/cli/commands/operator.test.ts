import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresCliStore, type CliTestStore } from './support/cli-test-stores.ts';
import { registerFreelancer } from '../../app/accounts/register-freelancer.ts';
import { MS_PER_DAY, toIso } from '../../core/time.ts';
import { runCli } from '../run.ts';
import { fakeIo, type FakeIo } from '../testing/fake-io.ts';
import { commands } from './index.ts';

/**
 * The operator commands in process (fake terminal, real PostgreSQL): output
 * formats, the progress bar, paging, and every argument check. The child
 * process suite (operator.process.test.ts) runs them as an operator would.
 */
const REGISTERED = Date.UTC(2026, 0, 10, 9);
const TICK_AT = toIso(REGISTERED + 40 * MS_PER_DAY);
const FREELANCERS = 30;

describe('operator commands in process on PostgreSQL', () => {
  let store: CliTestStore;
  let dir: string;
  const cli = async (args: string[], interactive = false): Promise<FakeIo & { code: number }> => {
    const io = { ...fakeIo(store.env, dir), interactive };
    const code = await runCli(args, io, commands);
    return Object.assign(io, { code });
  };
  const out = (io: FakeIo) => io.out.join('');
  const err = (io: FakeIo) => io.err.join('');

  beforeAll(async () => {
    store = await postgresCliStore();
    dir = await mkdtemp(join(tmpdir(), 'connects-cli-'));
    await store.seed(async (ctx) => {
      for (let i = 0; i < FREELANCERS; i++) {
        const id = `fl-${String(i).padStart(2, '0')}`;
        const done = await registerFreelancer(ctx, { id, registeredAt: REGISTERED }, REGISTERED);
        if (!done.ok) throw new Error(done.error.message);
      }
    });
  });
  afterAll(async () => {
    await store?.cleanup();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('tick draws a progress bar over the due accounts on a terminal, and none otherwise', async () => {
    const onTerminal = await cli(['tick', '--now', TICK_AT], true);
    expect(onTerminal.code).toBe(0);
    expect(err(onTerminal)).toMatch(/\rRenewing \[#+\] 100% 30\/30\n$/);
    expect(out(onTerminal)).toMatch(/Accounts renewed: +30 \(30 cycles, 300 Connects in 30 lots\)/);

    const piped = await cli(['tick', '--now', TICK_AT, '--json']);
    expect(err(piped)).toBe('');
    expect(JSON.parse(out(piped))).toMatchObject({ accounts: 0, cycles: 0, now: TICK_AT });
  });

  it('balance prints the balance with a table of lots, or the balance as of an instant', async () => {
    const past = await cli(['balance', 'fl-00', '--as-of', toIso(REGISTERED + 35 * MS_PER_DAY)]);
    expect(out(past)).toBe(
      `fl-00 as of ${toIso(REGISTERED + 35 * MS_PER_DAY)}\n` +
        '  Balance:              60\n  Available:            60\n  Held:                 0\n' +
        '  Expiring in 30 days:  0\n',
    );
    const before = await cli(['balance', 'fl-00', '--as-of', toIso(REGISTERED - 1), '--json']);
    expect(JSON.parse(out(before))).toMatchObject({ balance: 0, available: 0, held: 0 });
    expect(JSON.parse(out(before))).not.toHaveProperty('lots');
  });

  it('history pages with a cursor and filters by type and time', async () => {
    const first = await cli(['history', 'fl-01', '--limit', '2']);
    const text = out(first);
    expect(text.split('\n').filter((line) => /^ +\d+ /.test(line))).toHaveLength(2);
    const cursor = /--cursor (\S+)/.exec(text)?.[1];
    expect(cursor).toBeDefined();
    const rest = await cli(['history', 'fl-01', '--limit', '2', '--cursor', cursor as string, '--json']);
    const page = JSON.parse(out(rest)) as { entries: { seq: number }[]; nextCursor: string | null };
    expect(page.entries.map((e) => e.seq)).toEqual([1]);
    expect(page.nextCursor).toBeNull();

    const since = await cli(['history', 'fl-01', '--since', toIso(REGISTERED + MS_PER_DAY), '--json']);
    expect((JSON.parse(out(since)) as { entries: unknown[] }).entries).toHaveLength(1);
    const none = await cli(['history', 'fl-01', '--type', 'debit,refund']);
    expect(out(none)).toBe('No entries for fl-01 match.\n');
  });

  it('grant adds and, after --, removes Connects with the reason on the entry', async () => {
    const added = await cli(['grant', 'fl-02', '7', '--reason', '=1+1 goodwill', '--key', 'k-add']);
    expect(added.code).toBe(0);
    expect(out(added)).toContain('Granted 7 Connects to fl-02\n');
    expect(out(added)).toMatch(/Entry: +#\d+ adjustment: =1\+1 goodwill/);

    const removed = await cli(['grant', 'fl-02', '--reason', 'correction', '--json', '--', '-3']);
    expect(removed.code).toBe(0);
    expect(JSON.parse(out(removed))).toMatchObject({ connects: -3, lotExpiresAt: null, replayed: false });

    const tooMuch = await cli(['grant', 'fl-02', '--reason', 'oops', '--', '-100000']);
    expect(tooMuch.code).toBe(1);
    expect(err(tooMuch)).toContain('(insufficient_connects)');
  });

  it('export streams every account with a progress bar, quoting formulas, into a complete file', async () => {
    const file = join(dir, 'all.csv');
    const done = await cli(['export', '--out', 'all.csv', '--json'], true);
    expect(done.code).toBe(0);
    const summary = JSON.parse(out(done)) as { accounts: number; entries: number; out: string };
    expect(summary).toMatchObject({ accounts: FREELANCERS, out: file });
    expect(err(done)).toMatch(
      new RegExp(`Exporting \\[#+\\] 100% ${summary.entries}/${summary.entries}\\n$`),
    );
    const csv = await readFile(file, 'utf8');
    expect(csv.trimEnd().split('\n')).toHaveLength(summary.entries + 1);
    expect(csv).toContain(",'=1+1 goodwill,");
    expect(await readdir(dir)).not.toContain('all.csv.partial');

    const since = await cli(['export', '--format', 'json', '--since', toIso(REGISTERED + MS_PER_DAY)]);
    const entries = JSON.parse(out(since)) as { type: string }[];
    expect(entries.filter((e) => e.type === 'grant')).toHaveLength(FREELANCERS);

    const nowhere = await cli(['export', '--out', join(dir, 'missing', 'x.csv')]);
    expect(nowhere.code).toBe(2);
    expect(err(nowhere)).toContain('cannot write');
  });

  it('refuses bad arguments with exit code 2 and a message naming the flag', async () => {
    const cases: [string[], string][] = [
      [['tick', '--now', 'yesterday'], '--now must be an ISO-8601'],
      [['tick', '--batch-size', '0'], '--batch-size must be a whole number from 1 to 50000'],
      [['balance'], 'expected <freelancer-id>'],
      [['balance', 'a', 'b'], 'expected <freelancer-id>'],
      [['balance', 'fl-00', '--as-of', '2026-02-30'], '--as-of must be an ISO-8601'],
      [['history', 'fl-00', '--type', 'bogus'], '--type must be among grant, debit'],
      [['history', 'fl-00', '--limit', '501'], '--limit must be a whole number from 1 to 500'],
      [['history', 'fl-00', '--since', 'last week'], '--since must be an ISO-8601'],
      [['grant', 'fl-00', '5'], '--reason is required'],
      [['grant', 'fl-00', 'five', '--reason', 'x'], '<connects> must be a whole number'],
      [['grant', 'fl-00', '5', '--reason', 'x', '--expires-at', 'soon'], '--expires-at must be an ISO-8601'],
      [
        [
          'promo',
          'create',
          'X',
          '--connects',
          '5',
          '--valid-from',
          '2026-01-01',
          '--valid-until',
          '2026-02-01',
        ],
        '--max is required',
      ],
      [
        [
          'promo',
          'create',
          'X',
          '--connects',
          '0',
          '--valid-from',
          '2026-01-01',
          '--valid-until',
          '2026-02-01',
          '--max',
          '1',
        ],
        '--connects must be a whole number from 1',
      ],
      [['export', '--format', 'xml'], '--format must be csv or json'],
      [['export', '--json'], '--json prints a summary of an export to a file'],
      [['tick', '--unknown'], "Unknown option '--unknown'"],
    ];
    for (const [args, message] of cases) {
      const io = await cli(args);
      expect({ args, code: io.code }).toEqual({ args, code: 2 });
      expect(err(io) + out(io)).toContain(message);
    }
    // A use case's own validation is a usage error too.
    const longReason = await cli(['grant', 'fl-00', '5', '--reason', 'x'.repeat(201)]);
    expect(longReason.code).toBe(2);
    expect(err(longReason)).toContain('reason: must be at most 200 characters');
  });
});
