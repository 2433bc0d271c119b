import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import type { ResolvedTickOptions, TickPhase, TickProgress } from './tick.ts';

/** Counters shared by the phases of one tick; reports after every batch. */
export class Progress {
  accounts = 0;
  expired = 0;
  sweptAccounts = 0;
  batches = 0;

  constructor(
    private readonly report: (progress: TickProgress) => void,
    readonly due: number,
    private readonly maxBatches: number,
  ) {}

  batch(phase: TickPhase): void {
    this.batches += 1;
    this.report({ phase, accounts: this.accounts, due: this.due, expired: this.expired });
  }

  /** True while the tick may run another batch. */
  get budgetLeft(): boolean {
    return this.batches < this.maxBatches;
  }
}

/**
 * Materialises every expiry due at now, a bounded number of accounts per
 * call, until a call comes back short. Runs before renewals so the balances
 * the set-based grants write are the true balances at now.
 */
export async function sweepAll(
  ctx: AppContext,
  now: Instant,
  opts: ResolvedTickOptions,
  progress: Progress,
): Promise<void> {
  while (progress.budgetLeft) {
    const swept = await ctx.store.sweepExpired(now, opts.limit);
    progress.expired += swept.expired;
    progress.sweptAccounts += swept.accounts;
    progress.batch('sweep');
    if (swept.accounts < opts.limit) break;
  }
}

/** Calls a hook with the batch limit until it does less than a full batch. Absent: nothing to do. */
export async function runHook(
  hook: ((now: Instant, limit: number) => Promise<number>) | undefined,
  phase: TickPhase,
  now: Instant,
  opts: ResolvedTickOptions,
  progress: Progress,
): Promise<number> {
  if (hook === undefined) return 0;
  let total = 0;
  while (progress.budgetLeft) {
    const done = await hook(now, opts.limit);
    total += done;
    progress.batch(phase);
    if (done < opts.limit) break;
  }
  return total;
}
