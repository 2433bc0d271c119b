import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresCliStore, type CliTestStore } from './support/cli-test-stores.ts';
import { defaultPolicy } from '../../core/policy/eras.ts';
import { policyJsonSchema } from '../../core/policy/json-schema.ts';
import { runCli } from '../run.ts';
import { fakeIo, type FakeIo } from '../testing/fake-io.ts';
import { commands } from './index.ts';

/** `connects policy ...` in process on PostgreSQL: every subcommand, human and --json. */
const NOW = '2026-06-01T00:00:00.000Z';
const candidate = {
  ...defaultPolicy,
  id: 'plus-100',
  name: 'Plus at 100',
  effectiveFrom: '2026-07-01T00:00:00.000Z',
  plans: { ...defaultPolicy.plans, plus: { ...defaultPolicy.plans.plus, allotment: 100 } },
};

describe('connects policy', () => {
  let store: CliTestStore;
  let dir: string;
  const cli = async (args: string[]): Promise<FakeIo & { code: number }> => {
    const io = fakeIo(store.env, dir);
    const code = await runCli(args, io, commands);
    return Object.assign(io, { code });
  };
  const out = (io: FakeIo) => io.out.join('');
  const err = (io: FakeIo) => io.err.join('');
  const file = async (name: string, content: unknown) => {
    const path = join(dir, name);
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  beforeAll(async () => {
    store = await postgresCliStore();
    dir = await mkdtemp(join(tmpdir(), 'connects-policy-'));
  });
  afterAll(async () => {
    await store.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('validate lists every problem with its field path and exits 1', async () => {
    const bad = await file('bad.json', [
      candidate,
      {
        ...candidate,
        id: 'second',
        surprise: true,
        grants: { ...defaultPolicy.grants, signup: 2.5 },
        rateCard: {
          ...defaultPolicy.rateCard,
          tiers: [
            { belowBudgetCents: 9000, connects: 2 },
            { belowBudgetCents: 5000, connects: 3 },
            { belowBudgetCents: null, connects: 4 },
          ],
        },
      },
    ]);
    const human = await cli(['policy', 'validate', bad]);
    expect(human.code).toBe(1);
    expect(err(human)).toContain('1.grants.signup');
    expect(err(human)).toContain('1.rateCard.tiers.1.belowBudgetCents');
    expect(err(human)).toMatch(/1: .*surprise/);
    const json = await cli(['policy', 'validate', bad, '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(out(json)) as { valid: boolean; issues: { path: string }[] };
    expect(report.valid).toBe(false);
    expect(report.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['1', '1.grants.signup', '1.rateCard.tiers.1.belowBudgetCents']),
    );
    const good = await cli(['policy', 'validate', await file('good.json', candidate)]);
    expect([good.code, out(good)]).toEqual([0, expect.stringContaining('is valid: plus-100')]);
    expect((await cli(['policy', 'validate', await file('broken.json', '{nope')])).code).toBe(1);
  });

  it('diff, schedule, show and withdraw', async () => {
    const path = await file('plus.json', candidate);
    const diff = await cli(['policy', 'diff', path, '--json']);
    expect(diff.code).toBe(0);
    const changes = JSON.parse(out(diff)) as { policies: { against: string; changes: { path: string }[] }[] };
    expect(changes.policies[0]?.against).toBe('era-2023');
    expect(changes.policies[0]?.changes.map((c) => c.path)).toEqual([
      'id',
      'name',
      'effectiveFrom',
      'plans.plus.allotment',
    ]);

    const scheduled = await cli(['policy', 'schedule', path, '--note', 'from March', '--now', NOW]);
    expect([scheduled.code, out(scheduled)]).toEqual([0, expect.stringContaining('plus-100: scheduled')]);
    const again = await cli(['policy', 'schedule', path, '--note', 'from March', '--now', NOW]);
    expect(out(again)).toContain('already scheduled, unchanged');
    const other = await cli([
      'policy',
      'schedule',
      await file('other.json', { ...candidate, name: 'x' }),
      '--now',
      NOW,
    ]);
    expect([other.code, err(other)]).toEqual([1, expect.stringContaining('policy_conflict')]);
    const past = await cli([
      'policy',
      'schedule',
      await file('past.json', { ...candidate, id: 'late', effectiveFrom: '2026-05-01T00:00:00.000Z' }),
      '--now',
      NOW,
    ]);
    expect([past.code, err(past)]).toEqual([2, expect.stringContaining('effectiveFrom')]);

    const show = await cli(['policy', 'show', '--now', NOW, '--json']);
    const shown = JSON.parse(out(show)) as {
      policies: { id: string; state: string; scheduledBy: string; note: string }[];
    };
    expect(shown.policies.map((p) => `${p.id}:${p.state}`)).toEqual([
      'era-legacy:past',
      'era-2019:past',
      'era-2021:past',
      'era-2023:in_force',
      'plus-100:scheduled',
    ]);
    expect(shown.policies.at(-1)).toMatchObject({ scheduledBy: 'cli', note: 'from March' });
    expect(out(await cli(['policy', 'show', '--now', NOW]))).toMatch(
      /plus-100\s+2026-07-01T00:00:00.000Z\s+scheduled/,
    );

    const inForce = await cli(['policy', 'withdraw', 'era-2023', '--now', NOW]);
    expect([inForce.code, err(inForce)]).toEqual([1, expect.stringContaining('policy_in_force')]);
    const withdrawn = await cli(['policy', 'withdraw', 'plus-100', '--now', NOW, '--json']);
    expect(JSON.parse(out(withdrawn))).toEqual({
      withdrawn: 'plus-100',
      effectiveFrom: candidate.effectiveFrom,
    });
    expect((await cli(['policy', 'withdraw', 'plus-100', '--now', NOW])).code).toBe(1);
  });

  it('schema prints the JSON Schema', async () => {
    const io = await cli(['policy', 'schema']);
    expect(JSON.parse(out(io))).toEqual(policyJsonSchema());
  });
});
