import { parentPort, workerData } from 'node:worker_threads';
import { emptyTallies, runSlice, type EngineInput } from './engine.ts';
import { serialiseTallies } from './parallel.ts';

/**
 * Runs freelancers [from, to) of a population in a worker thread, reporting
 * progress after each slice and the tallies at the end.
 */
interface ShardData {
  readonly input: EngineInput;
  readonly from: number;
  readonly to: number;
  readonly sliceSize: number;
}

const { input, from, to, sliceSize } = workerData as ShardData;
const tallies = emptyTallies(input);
for (let start = from; start < to; start += sliceSize) {
  const end = Math.min(to, start + sliceSize);
  runSlice(input, tallies, start, end);
  parentPort?.postMessage({ kind: 'progress', done: end - from });
}
parentPort?.postMessage({ kind: 'done', tallies: serialiseTallies(tallies) });
