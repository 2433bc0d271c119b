import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliTestStores, type CliTestStore } from './support/cli-test-stores.ts';
import { registerFreelancer } from '../../app/accounts/register-freelancer.ts';
import { MS_PER_DAY, MS_PER_HOUR, toIso } from '../../core/time.ts';

/**
 * The operator commands as an operator runs them: `node bin/connects.mjs`
 * in a child process, configured only by the environment, on a temporary
 * PGlite folder and on a throwaway PostgreSQL database.
 */
const bin = fileURLToPath(new URL('../../../bin/connects.mjs', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function connects(env: Readonly<Record<string, string>>, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A registration instant about 45 days ago on a day of month up to 28 (a fixed billing anchor). */
function registrationInstant(): number {
  let t = Date.now() - 45 * MS_PER_DAY;
  while (new Date(t).getUTCDate() > 28) t -= MS_PER_DAY;
  return t;
}

describe.each(cliTestStores)(
  'operator commands in a child process on $name',
  { timeout: 300_000 },
  ({ open }) => {
    let store: CliTestStore;
    let dir: string;
    const registeredAt = registrationInstant();
    // One cycle after registration has started by then, the second has not.
    const tickAt = toIso(registeredAt + 40 * MS_PER_DAY);
    const run = (...args: string[]) => connects(store.env, args);

    beforeAll(async () => {
      store = await open();
      dir = await mkdtemp(join(tmpdir(), 'connects-export-'));
      await store.seed(async (ctx) => {
        for (const id of ['ada', 'bob']) {
          const done = await registerFreelancer(ctx, { id, registeredAt }, registeredAt);
          if (!done.ok) throw new Error(done.error.message);
        }
      });
    }, 300_000);
    afterAll(async () => {
      await store?.cleanup();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    });

    it('tick issues the due allotments once, as JSON and as text', async () => {
      const first = await run('tick', '--now', tickAt, '--json');
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({
        now: tickAt,
        accounts: 2,
        cycles: 2,
        connects: 20,
        failures: [],
      });

      const again = await run('tick', '--now', tickAt);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`Tick at ${tickAt}`);
      expect(again.stdout).toMatch(/Accounts renewed: +0 \(0 cycles, 0 Connects in 0 lots\)/);
    });

    it('balance shows now with lots, and as of a past instant', async () => {
      const now = await run('balance', 'ada', '--json');
      expect(now.code).toBe(0);
      const body = JSON.parse(now.stdout) as { lots: unknown[] };
      expect(body).toMatchObject({
        freelancerId: 'ada',
        balance: 60,
        available: 60,
        held: 0,
        expiringWithin30Days: 0,
      });
      expect(body.lots).toHaveLength(3);

      const past = await run('balance', 'ada', '--as-of', toIso(registeredAt + MS_PER_HOUR));
      expect(past.code).toBe(0);
      expect(past.stdout).toMatch(/Balance: +50\n/);
      expect(past.stdout).not.toContain('LOT');
    });

    it('grant is idempotent by --key and shows up in history', async () => {
      const args = ['grant', 'ada', '15', '--reason', 'support credit', '--key', 'ticket-1', '--json'];
      const first = await run(...args);
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({
        connects: 15,
        replayed: false,
        balance: { balance: 75 },
      });
      const retry = await run(...args);
      expect(JSON.parse(retry.stdout)).toMatchObject({ replayed: true, balance: { balance: 75 } });

      const history = await run('history', 'ada', '--type', 'adjustment', '--json');
      expect(history.code).toBe(0);
      const { entries } = JSON.parse(history.stdout) as { entries: { delta: number; reason: string }[] };
      expect(entries).toEqual([expect.objectContaining({ delta: 15, reason: 'support credit' })]);

      const table = await run('history', 'ada');
      expect(table.stdout.split('\n')[0]).toMatch(
        /^SEQ +EFFECTIVE +TYPE +CHANGE +BALANCE +AVAILABLE +REF +REASON$/,
      );
      expect(table.stdout).toContain('support credit');
    });

    it('promo create makes a code once and refuses to change it', async () => {
      const args = [
        'promo',
        'create',
        'SPRING',
        '--valid-from',
        '2026-01-01',
        '--valid-until',
        '2027-01-01',
        '--max',
        '100',
      ];
      const made = await run(...args, '--connects', '25', '--json');
      expect(made.code).toBe(0);
      expect(JSON.parse(made.stdout)).toMatchObject({
        code: 'SPRING',
        connects: 25,
        validFrom: '2026-01-01T00:00:00.000Z',
      });
      const changed = await run(...args, '--connects', '30');
      expect(changed.code).toBe(1);
      expect(changed.stderr).toContain('(promo_code_exists)');
    });

    it('export writes every account to a file, or one account to stdout', async () => {
      const file = join(dir, 'entries.csv');
      const toFile = await run('export', '--out', file);
      expect(toFile.code).toBe(0);
      expect(toFile.stdout).toMatch(/^Exported \d+ entries of 2 account\(s\) as csv to /);
      const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
      expect(lines[0]).toMatch(/^account,seq,type,amount,delta,/);
      expect(lines.filter((l) => l.startsWith('ada,'))).not.toHaveLength(0);
      expect(lines.filter((l) => l.startsWith('bob,'))).not.toHaveLength(0);

      const json = await run('export', '--format', 'json', '--freelancer', 'bob');
      expect(json.code).toBe(0);
      const entries = JSON.parse(json.stdout) as { account: string; type: string }[];
      expect(entries.map((e) => e.type)).toEqual(['grant', 'grant', 'grant']);
      expect(new Set(entries.map((e) => e.account))).toEqual(new Set(['bob']));
      expect(json.stderr).toContain('Exported 3 entries of 1 account(s) as json to stdout');
    });

    it('exits 1 with the error code for business errors and 2 for bad arguments', async () => {
      const unknown = await run('balance', 'nobody');
      expect(unknown).toMatchObject({ code: 1, stdout: '' });
      expect(unknown.stderr).toBe('connects: No freelancer nobody is registered. (freelancer_not_found)\n');

      const unknownJson = await run('history', 'nobody', '--json');
      expect(unknownJson.code).toBe(1);
      expect(JSON.parse(unknownJson.stdout)).toMatchObject({ error: { code: 'freelancer_not_found' } });

      // Every argument check is in operator.test.ts; they stop before the store is opened.
      const bad = await run('grant', 'ada', '0', '--reason', 'x');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe('connects: <connects> must not be 0\n');
    });
  },
);
