// Before any use case's schemas exist (see commands/index.ts).
import '@hono/zod-openapi';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { schedulePolicy } from '../../app/policy/schedule-policy.ts';
import { defaultTimeline } from '../../core/policy/timeline.ts';
import { runCli } from '../run.ts';
import { fakeIo } from '../testing/fake-io.ts';
import { commands } from './index.ts';
import { cliTestStores, type CliTestStore } from './support/cli-test-stores.ts';

const NOW = '--now=2026-12-05T00:00:00Z';

/** The policy in force today under another id, from a date, with one field changed. */
function variant(id: string, effectiveFrom: string, plusAllotment: number): Record<string, unknown> {
  const current = structuredClone(defaultTimeline.policies.at(-1)) as unknown as Record<string, unknown>;
  const plans = current['plans'] as { plus: { allotment: number } };
  plans.plus.allotment = plusAllotment;
  return { ...current, id, name: id, effectiveFrom };
}

describe.each(cliTestStores)('connects simulate ($name)', ({ open }) => {
  let store: CliTestStore | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await store?.cleanup();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    store = undefined;
    dir = undefined;
  });

  it("takes the store's timeline as the baseline, answers the same bytes twice, and refuses a bad candidate", async () => {
    const opened = await open();
    store = opened;
    // A policy the operator scheduled: the baseline must include it.
    await opened.seed(async (ctx) => {
      const scheduled = await schedulePolicy(
        ctx,
        { policy: variant('plus-90', '2027-02-01T00:00:00.000Z', 90), scheduledBy: 'cli' },
        Date.UTC(2026, 11, 5),
      );
      if (!scheduled.ok) throw new Error(scheduled.error.message);
    });
    dir = await mkdtemp(join(tmpdir(), 'connects-sim-'));
    const candidate = join(dir, 'candidate.json');
    await writeFile(candidate, JSON.stringify(variant('plus-100', '2027-01-01T00:00:00.000Z', 100)));

    const run = async (...args: string[]) => {
      const io = fakeIo(opened.env);
      const code = await runCli(['simulate', ...args], io, commands);
      return { code, out: io.out.join(''), err: io.err.join('') };
    };
    const args = ['--candidate', candidate, '--months', '3', '--freelancers', '40', '--seed', '5', NOW];
    const json = await run(...args, '--json');
    expect(json.code, json.err).toBe(0);
    const result = JSON.parse(json.out) as {
      timelines: { baseline: { id: string }[]; candidate: { id: string }[] };
      baseline: unknown[];
      difference: unknown[];
    };
    expect(result.timelines.baseline.map((p) => p.id)).toContain('plus-90');
    // The candidate starts before the scheduled policy, so it takes its place.
    expect(result.timelines.candidate.at(-1)?.id).toBe('plus-100');
    expect(result.timelines.candidate.map((p) => p.id)).not.toContain('plus-90');
    expect(result.baseline).toHaveLength(3);
    expect(result.difference).toHaveLength(3);
    // Same inputs, same bytes.
    expect((await run(...args, '--json')).out).toBe(json.out);

    await writeFile(
      candidate,
      JSON.stringify({ ...variant('bad', '2027-01-01T00:00:00.000Z', 100), extra: 1 }),
    );
    const bad = await run(...args);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('candidate');
  }, 180_000);
});
