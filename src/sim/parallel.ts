import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  populationSize,
  runEngine,
  type EngineInput,
  type EngineTallies,
  type RunControl,
} from './engine.ts';
import { RunTally, type Counters } from './metrics.ts';

/**
 * Runs a simulation on worker threads: the population is cut into one
 * contiguous shard per worker, each worker plays its freelancers (both runs)
 * and sends back its tallies, and the tallies are summed. Sums and
 * histograms do not depend on the order they are added in, so the result is
 * byte-identical whatever the number of workers.
 */

export interface SerialisedTallies {
  readonly baseline: { months: Counters[]; balances: [number, number][][] };
  readonly candidate: { months: Counters[]; balances: [number, number][][] };
  readonly events: number;
}

export function serialiseTallies(t: EngineTallies): SerialisedTallies {
  const run = (r: RunTally) => ({ months: r.months, balances: r.balances.map((h) => [...h]) });
  return { baseline: run(t.baseline), candidate: run(t.candidate), events: t.events };
}

function restore(s: SerialisedTallies['baseline']): RunTally {
  const tally = new RunTally(s.months.length);
  s.months.forEach((c, m) => Object.assign(tally.months[m] as Counters, c));
  s.balances.forEach((entries, m) => {
    const histogram = tally.balances[m] as Map<number, number>;
    for (const [balance, count] of entries) histogram.set(balance, count);
  });
  return tally;
}

/** Workers to use by default: one per core, at most 4, and none for a small population. */
export function defaultWorkers(freelancers: number): number {
  if (freelancers < 2_000) return 0;
  return Math.max(1, Math.min(4, availableParallelism()));
}

export interface ParallelControl extends RunControl {
  /** Worker threads; 0 runs in this thread (in slices, yielding to the event loop). */
  readonly workers?: number;
}

export async function runParallel(
  input: EngineInput,
  control: ParallelControl = {},
): Promise<EngineTallies | null> {
  const total = populationSize(input);
  const workers = Math.min(control.workers ?? defaultWorkers(total), total);
  if (workers === 0) return runEngine(input, control);
  const sliceSize = control.sliceSize ?? 500;
  const done = new Array<number>(workers).fill(0);
  const threads: Worker[] = [];
  let cancelled = false;
  const shards = Array.from({ length: workers }, (_, w) => {
    const from = Math.floor((total * w) / workers);
    const to = Math.floor((total * (w + 1)) / workers);
    // Each worker gets only its own accounts (at their indexes in the population).
    const accounts = input.accounts === undefined ? undefined : padded(input.accounts.slice(from, to), from);
    return { from, to, input: accounts === undefined ? input : { ...input, accounts } };
  });
  const poll = setInterval(() => {
    if (!cancelled && control.cancelled?.() === true) {
      cancelled = true;
      for (const t of threads) void t.terminate();
    }
  }, 100);
  try {
    const results = await Promise.all(
      shards.map(
        (shard, w) =>
          new Promise<SerialisedTallies | null>((resolve, reject) => {
            const worker = new Worker(new URL('./worker.mjs', import.meta.url), {
              workerData: {
                input: shard.input,
                from: shard.from,
                to: shard.to,
                sliceSize,
              },
            });
            threads.push(worker);
            worker.on('message', (message: { kind: string; done?: number; tallies?: SerialisedTallies }) => {
              if (message.kind === 'progress') {
                done[w] = message.done ?? 0;
                control.onProgress?.(
                  done.reduce((a, b) => a + b, 0),
                  total,
                );
              } else if (message.kind === 'done') resolve(message.tallies ?? null);
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (cancelled) resolve(null);
              else if (code !== 0) reject(new Error(`simulation worker ${w} stopped with code ${code}`));
            });
          }),
      ),
    );
    if (cancelled || results.some((r) => r === null)) return null;
    const merged: EngineTallies = {
      baseline: new RunTally(input.frame.monthStarts.length - 1),
      candidate: new RunTally(input.frame.monthStarts.length - 1),
      events: 0,
    };
    for (const r of results as SerialisedTallies[]) {
      merged.baseline.merge(restore(r.baseline));
      merged.candidate.merge(restore(r.candidate));
      merged.events += r.events;
    }
    return merged;
  } finally {
    clearInterval(poll);
    for (const t of threads) void t.terminate();
  }
}

/** A sparse array holding `accounts` at indexes from `from`, so a worker indexes them as the whole population. */
function padded<T>(accounts: readonly T[], from: number): T[] {
  const out: T[] = [];
  accounts.forEach((a, i) => {
    out[from + i] = a;
  });
  return out;
}
