import type { Context } from 'hono';
import { releaseDailyConnects, reserveDailyConnects } from '../app/operators/daily-limit.ts';
import type { SupportLimits } from '../config.ts';
import { connectsError, ConnectsFailure } from '../core/errors.ts';
import type { Instant } from '../core/time.ts';
import type { LedgerStore } from '../store/store.ts';
import type { ApiEnv } from './services.ts';

export interface LimitedWrite<T> {
  readonly store: Pick<LedgerStore, 'query'>;
  readonly limits: SupportLimits;
  readonly now: Instant;
  /** The absolute Connects the request would grant or remove, as far as is known before it runs. */
  readonly connects: number;
  readonly write: () => Promise<T>;
  /** The absolute Connects the write did grant or remove (0 for a replay of an earlier request). */
  readonly moved: (result: T) => number;
}

/**
 * Runs a write that grants or removes Connects within the limits of a
 * support operator (docs/operators.md, "Limits"); other callers run it as is.
 * Above the per-action limit, or above what is left of the operator's daily
 * budget, the answer is `403 limit_exceeded` and nothing is written. The
 * budget is reserved by one conditional UPDATE before the write (so parallel
 * requests cannot pass it together) and what the write did not use (refused,
 * replayed, or a lot that held less) is given back.
 */
export async function withinSupportLimits<T>(c: Context<ApiEnv>, w: LimitedWrite<T>): Promise<T> {
  const principal = c.var.principal;
  if (principal?.kind !== 'operator' || principal.role !== 'support') return w.write();
  const { perActionConnects, perDayConnects } = w.limits;
  if (w.connects > perActionConnects) {
    throw new ConnectsFailure(
      connectsError(
        'limit_exceeded',
        `${w.connects} Connects is above the support limit of ${perActionConnects} per action.`,
        { operatorId: principal.operatorId, connects: w.connects, perActionConnects },
      ),
    );
  }
  const reserved = await reserveDailyConnects(
    w.store,
    principal.operatorId,
    w.connects,
    perDayConnects,
    w.now,
  );
  if (!reserved.ok) throw new ConnectsFailure(reserved.error);
  let result: T;
  try {
    result = await w.write();
  } catch (error) {
    await releaseDailyConnects(w.store, reserved.value);
    throw error;
  }
  await releaseDailyConnects(w.store, reserved.value, w.connects - w.moved(result));
  return result;
}
