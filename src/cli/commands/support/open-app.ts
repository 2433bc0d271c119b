import type { PurchaseContext } from '../../../app/purchases/buy-connects.ts';
import { readPolicyTimeline, type LivePolicyTimeline } from '../../../app/policy/live-timeline.ts';
import { createConnects, type Connects } from '../../../connects.ts';
import { ConnectsFailure, type Result } from '../../../core/errors.ts';
import { openConfiguredStore } from '../../../open-configured-store.ts';
import type { LedgerStore } from '../../../store/store.ts';
import { CliError, EXIT_STORE, loadConfig, usageError, type CliIo } from '../../command.ts';

/**
 * Operator commands open the same store `serve` would (CONNECTS_DATA_DIR or
 * DATABASE_URL, migrations applied) and call the same use cases with the
 * same context, built by the same composition root (src/connects.ts), so a
 * CLI grant is exactly an API grant and a CLI tick exactly a server tick.
 */
export interface OpenedApp {
  readonly connects: Connects;
  readonly ctx: PurchaseContext;
  readonly store: LedgerStore;
  /** The PGlite folder or the redacted PostgreSQL URL, for messages. */
  readonly location: string;
}

export async function withApp<T>(io: CliIo, work: (app: OpenedApp) => Promise<T>): Promise<T> {
  const config = loadConfig(io);
  const opened = await openConfiguredStore(config).catch((error: unknown) => {
    // Beside a running `serve` on the same embedded folder this names the server's process.
    throw new CliError(EXIT_STORE, `cannot open the store: ${(error as Error).message}`);
  });
  // The server's timeline (the stored one) and payment provider: a CLI tick renews exactly as the server would.
  let timeline: LivePolicyTimeline;
  try {
    // Read only: a command never seeds (an unseeded store reads as the built-in eras the seed would write).
    timeline = await readPolicyTimeline(opened.store);
  } catch (error) {
    await opened.store.close();
    throw new CliError(EXIT_STORE, `cannot read the policy timeline: ${(error as Error).message}`);
  }
  const connects = createConnects({ store: opened.store, timeline });
  try {
    return await work({ connects, ctx: connects.ctx, store: opened.store, location: opened.location });
  } finally {
    await opened.store.close();
  }
}

/**
 * The value of a use case's result. Its expected failure becomes exit code 1
 * with its message and code; input the use case refused is a usage error (2).
 */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok && result.error.code === 'validation_failed') throw usageError(result.error.message);
  if (!result.ok) throw new ConnectsFailure(result.error);
  return result.value;
}
