import type { LedgerStore } from '../src/store/store.ts';
import { benchAccount } from './seed-accounts.ts';

export interface LoadResult {
  readonly ops: number;
  readonly failed: number;
  readonly seconds: number;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly spent: number;
}

/** A small seeded generator (xorshift32): the bench must not depend on Math.random's quality or state. */
function random(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.floor(p * sorted.length));
  return Math.round((sorted[index] as number) * 100) / 100;
}

/**
 * `clients` callers, each issuing one debit of 1 to 8 Connects on a random
 * account and waiting for its result before the next, until `seconds` pass.
 * Each debit carries an idempotency key unless `keys` is false, as a
 * proposal's debit would.
 */
export async function runSpendLoad(
  store: LedgerStore,
  options: { clients: number; seconds: number; accounts: number; keys: boolean; tag: string },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failed = 0;
  let spent = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const client = async (c: number) => {
    const next = random(c + 1);
    for (let i = 0; performance.now() < deadline; i++) {
      const account = benchAccount(1 + Math.floor(next() * options.accounts));
      const amount = 1 + Math.floor(next() * 8);
      const t = performance.now();
      const result = await store.execute({
        account,
        op: { kind: 'debit', amount, ref: `job-${c}-${i}` },
        now: Date.now(),
        ...(options.keys ? { idempotencyKey: `${options.tag}-${c}-${i}` } : {}),
      });
      latencies.push(performance.now() - t);
      if (result.ok) spent += amount;
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, c) => client(c)));
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    ops: latencies.length,
    failed,
    seconds,
    opsPerSec: Math.round(latencies.length / seconds),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    spent,
  };
}
