import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readPolicyTimeline } from '../../app/policy/live-timeline.ts';
import { loadBadgePrices, loadSnapshot } from '../../sim/snapshot.ts';
import { MAX_FREELANCERS, MAX_MONTHS } from '../../sim/params.ts';
import {
  parseSimulationInput,
  prepareSimulation,
  resultCsv,
  runSimulation,
  type SimulationResult,
} from '../../sim/simulation.ts';
import { defineCommand, usageError, type CliIo } from '../command.ts';
import { createProgress, formatTable, printJson } from '../output.ts';
import { nowArg, requiredArg, wholeArg } from './support/args.ts';
import { withApp } from './support/open-app.ts';

async function readJson(io: CliIo, flag: string, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw usageError(`${flag}: cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw usageError(`${flag}: ${file} is not JSON: ${(error as Error).message}`);
  }
}

const dollars = (cents: number) => (cents / 100).toFixed(2);

function humanSummary(r: SimulationResult): string {
  const rows = r.baseline.map((b, i) => ({ b, c: r.candidate[i] ?? b, d: r.difference[i] ?? b }));
  const pair = (x: number, y: number, z: number) => `${x} / ${y} (${z >= 0 ? '+' : ''}${z})`;
  const table = formatTable(rows, [
    { header: 'Month', value: (x) => x.b.start.slice(0, 7) },
    {
      header: 'Spent: base / cand (diff)',
      value: (x) => pair(x.b.spent.total, x.c.spent.total, x.d.spent.total),
      align: 'right',
    },
    {
      header: 'Revenue $',
      value: (x) => {
        const money = (m: typeof x.b) => m.money.purchaseRevenueCents + m.money.plusRevenueCents;
        return `${dollars(money(x.b))} / ${dollars(money(x.c))}`;
      },
      align: 'right',
    },
    {
      header: 'Blocked proposals',
      value: (x) => pair(x.b.harm.proposalsBlocked, x.c.harm.proposalsBlocked, x.d.harm.proposalsBlocked),
      align: 'right',
    },
    {
      header: 'At zero',
      value: (x) => `${x.b.harm.shareAtZero} / ${x.c.harm.shareAtZero}`,
      align: 'right',
    },
    {
      header: 'Median / p90',
      value: (x) =>
        `${x.b.harm.medianBalance}/${x.b.harm.p90Balance} -> ${x.c.harm.medianBalance}/${x.c.harm.p90Balance}`,
      align: 'right',
    },
  ]);
  return (
    `Simulated ${r.population.freelancers} ${r.population.kind} freelancers, ${r.months} months from ` +
    `${r.start} (seed ${r.seed}); baseline ${r.timelines.baseline.at(-1)?.id}, candidate ` +
    `${r.timelines.candidate.at(-1)?.id}\n${table}`
  );
}

export const simulateCommand = defineCommand({
  name: 'simulate',
  summary: 'What would a candidate policy do to freelancers and revenue? Baseline vs candidate, by month.',
  details: [
    'Runs a population month by month under the current timeline (baseline) and under the timeline with',
    'the candidate policy (or list of policies) scheduled at its effectiveFrom, with the same random draws,',
    'through the real ledger rules. Starts on the first of the month after --now. Never writes to the store:',
    'a snapshot population is only read. Progress goes to stderr. See docs/simulator.md.',
    '',
    'Examples:',
    '  connects simulate --candidate plus-100.json --months 12',
    '  connects simulate --candidate plus-100.json --months 6 --freelancers 5000 --seed 7 --csv',
    '  connects simulate --candidate plus-100.json --population snapshot --json',
  ].join('\n'),
  options: {
    candidate: {
      type: 'string',
      description: 'Policy JSON file (one policy or a list).',
      placeholder: 'FILE',
    },
    months: {
      type: 'string',
      description: `Months to simulate (1-${MAX_MONTHS}, default 12).`,
      placeholder: 'N',
    },
    population: {
      type: 'string',
      description: 'synthetic (default) or snapshot (the live accounts, read only).',
      placeholder: 'KIND',
    },
    seed: { type: 'string', description: 'Random seed (default 1).', placeholder: 'N' },
    freelancers: {
      type: 'string',
      description: `Synthetic freelancers (1-${MAX_FREELANCERS}, default 10000).`,
      placeholder: 'N',
    },
    params: {
      type: 'string',
      description: 'Population parameters JSON file (see docs).',
      placeholder: 'FILE',
    },
    workers: {
      type: 'string',
      description: 'Worker threads (0: this thread; default one per core).',
      placeholder: 'N',
    },
    csv: { type: 'boolean', description: 'Print CSV (one row per month and run).' },
    now: {
      type: 'string',
      description: 'Start from this instant instead of the real clock.',
      placeholder: 'ISO',
    },
  },
  async run({ io, json, values }) {
    const candidate = await readJson(io, '--candidate', requiredArg('--candidate', values.candidate));
    const params =
      values.params === undefined ? {} : ((await readJson(io, '--params', values.params)) as object);
    const kind = values.population ?? 'synthetic';
    if (kind !== 'synthetic' && kind !== 'snapshot')
      throw usageError('--population must be synthetic or snapshot');
    const freelancers =
      values.freelancers === undefined
        ? undefined
        : wholeArg('--freelancers', values.freelancers, 1, MAX_FREELANCERS);
    const input = {
      candidate,
      months: values.months === undefined ? 12 : wholeArg('--months', values.months, 1, MAX_MONTHS),
      seed: values.seed === undefined ? 1 : wholeArg('--seed', values.seed, 0, 2_147_483_647),
      population: { kind, params: { ...params, ...(freelancers === undefined ? {} : { freelancers }) } },
    };
    const workers = values.workers === undefined ? undefined : wholeArg('--workers', values.workers, 0, 16);
    const parsed = parseSimulationInput(input);
    if (!parsed.ok) throw usageError(parsed.error.message);
    const now = nowArg(values.now);
    // The baseline is the timeline as it stands in the store (read only); the snapshot reads its accounts too.
    const { baseline, accounts, badgePrices } = await withApp(io, async ({ store }) => {
      const stored = (await readPolicyTimeline(store)).current();
      const prices = await loadBadgePrices(store);
      if (kind !== 'snapshot') return { baseline: stored, accounts: undefined, badgePrices: prices };
      const loaded = await loadSnapshot(store, now);
      if (loaded === 'too_large') throw usageError(`the population exceeds ${MAX_FREELANCERS} freelancers`);
      return { baseline: stored, accounts: loaded, badgePrices: prices };
    });
    const prepared = prepareSimulation(parsed.value, {
      baseline,
      now,
      badgePrices,
      ...(accounts === undefined ? {} : { accounts }),
    });
    if (!prepared.ok) throw usageError(prepared.error.message);
    let bar: ReturnType<typeof createProgress> | undefined;
    const result = await runSimulation(prepared.value, {
      ...(workers === undefined ? {} : { workers }),
      onProgress(done, total) {
        bar ??= createProgress(io, 'Simulating', total);
        bar.update(done);
      },
    });
    bar?.finish();
    if (result === null) throw new Error('the simulation stopped');
    if (values.csv === true) io.stdout(resultCsv(result));
    else if (json) printJson(io, result);
    else io.stdout(humanSummary(result));
  },
});
