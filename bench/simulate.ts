/**
 * Simulator benchmark: a synthetic population run under the built-in
 * timeline (baseline) and a candidate (proposals one Connect dearer, Plus at
 * 100 Connects) from the first of next month, both runs, on worker threads.
 * Flags:
 *   --freelancers 100000   --months 12   --seed 1   --workers <default: one per core, at most 4>
 *   --json (accepted: the JSON summary is always the last line)
 * The last line is {"freelancers","months","runs","seconds","events","eventsPerSec","peakRssMb"}.
 */
import { loadavg } from 'node:os';
import { defaultPolicy } from '../src/core/policy/eras.ts';
import { defaultTimeline } from '../src/core/policy/timeline.ts';
import { toIso } from '../src/core/time.ts';
import { simulationStart } from '../src/sim/engine.ts';
import { parseSimulationInput, prepareSimulation, runSimulation } from '../src/sim/simulation.ts';
import { intFlag, stringFlag, type Flags } from './args.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

export async function run(flags: Flags): Promise<void> {
  const freelancers = intFlag(flags, 'freelancers', 100_000);
  const months = intFlag(flags, 'months', 12);
  const seed = intFlag(flags, 'seed', 1);
  const workersFlag = stringFlag(flags, 'workers');
  const now = Date.now();
  const candidate = {
    ...defaultPolicy,
    id: 'bench-candidate',
    name: 'Proposals one Connect dearer, Plus 100 a cycle',
    effectiveFrom: toIso(simulationStart(now)),
    rateCard: {
      ...defaultPolicy.rateCard,
      tiers: defaultPolicy.rateCard.tiers.map((t) => ({ ...t, connects: t.connects + 1 })),
      hourly: defaultPolicy.rateCard.hourly + 1,
    },
    plans: { ...defaultPolicy.plans, plus: { ...defaultPolicy.plans.plus, allotment: 100 } },
  };
  const request = parseSimulationInput({ candidate, months, seed, population: { params: { freelancers } } });
  if (!request.ok) throw new Error(request.error.message);
  const prepared = prepareSimulation(request.value, { baseline: defaultTimeline, now });
  if (!prepared.ok) throw new Error(prepared.error.message);
  const started = performance.now();
  let lastLine = started;
  const result = await runSimulation(prepared.value, {
    ...(workersFlag === undefined ? {} : { workers: Number(workersFlag) }),
    onProgress(done, total) {
      if (performance.now() - lastLine < 5_000) return;
      lastLine = performance.now();
      say(`simulated ${done}/${total} freelancers (${Math.round((lastLine - started) / 1000)} s)`);
    },
  });
  if (result === null) throw new Error('the simulation was cancelled');
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  const last = result.months - 1;
  say(
    `month ${months}: blocked proposals ${result.baseline[last]?.harm.proposalsBlocked} -> ` +
      `${result.candidate[last]?.harm.proposalsBlocked}; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  say(
    JSON.stringify({
      freelancers,
      months,
      runs: 2,
      seconds,
      events: result.events,
      eventsPerSec: Math.round(result.events / seconds),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}
