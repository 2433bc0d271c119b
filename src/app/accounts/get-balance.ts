import { z } from 'zod';
import { idSchema } from '../input/ids.ts';
import { instantOrMillisSchema } from '../input/instants.ts';
import { parseInput } from '../input/parse-input.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import { balanceAsOf, balanceAt, expiringWithin, lotsAsOf, type Balance } from '../../core/ledger/balance.ts';
import { toIso, type Instant } from '../../core/time.ts';
import type { Entry } from '../../core/types.ts';
import { MAX_ENTRIES_PAGE } from '../../store/store.ts';
import type { AppContext } from '../context.ts';
import { loadAccountNow } from './balance-now.ts';
import { notFound, requireFreelancer } from './freelancer-rows.ts';
import { capsMayBeDue, projectDueCaps } from './read-balance.ts';

/**
 * A freelancer's balance now or as of a past instant (rules.md 1.2, 1.5),
 * with the Connects expiring soon (`EXPIRING_SOON_MS` of the core). The API's
 * GET /v1/freelancers/{id}/balance and the CLI's `balance` both answer with it.
 */

/**
 * Most entries an as-of read replays: a balance in the past is rebuilt from
 * the history up to that instant, so the work grows with the account's age.
 * Beyond this the read answers `history_too_long` instead of loading it all.
 */
export const MAX_AS_OF_ENTRIES = 20_000;

export const getBalanceInputSchema = z.strictObject({
  freelancerId: idSchema,
  /** Default: now. Not after now (what comes next is not known yet). */
  asOf: instantOrMillisSchema.optional(),
});
export type GetBalanceInput = z.input<typeof getBalanceInputSchema>;

export interface BalanceView extends Balance {
  readonly freelancerId: string;
  readonly asOf: Instant;
  /** Available Connects, at asOf, in lots that expire within EXPIRING_SOON_MS of it. */
  readonly expiringSoon: number;
}

export interface GetBalanceOptions {
  /** Default MAX_AS_OF_ENTRIES; a test sets a smaller bound. */
  readonly maxAsOfEntries?: number;
}

export async function getBalance(
  ctx: AppContext,
  request: GetBalanceInput,
  now: Instant,
  options: GetBalanceOptions = {},
): Promise<Result<BalanceView>> {
  const parsed = parseInput(getBalanceInputSchema, request);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const asOf = input.asOf ?? now;
  if (asOf > now) {
    return err(
      connectsError('validation_failed', 'asOf cannot lie in the future.', {
        issues: [{ in: 'input', path: 'asOf', message: 'must not be after the current time' }],
        now: toIso(now),
      }),
    );
  }
  const id = input.freelancerId;
  const view = (balance: Balance, expiringSoon: number): Result<BalanceView> =>
    ok({ freelancerId: id, asOf, ...balance, expiringSoon });
  if (asOf === now) {
    // The common read, in one statement: the freelancer, its lots and holds; a due capped renewal aside.
    const current = await loadAccountNow(ctx.store, id);
    if (current === undefined) return notFound(id);
    if (!capsMayBeDue(ctx.timeline, current.freelancer, asOf)) {
      const state = { account: id, seq: 0, nextLotNo: 1, lots: current.lots, holds: current.holds };
      return view(balanceAt(state, asOf), expiringWithin(current.lots, asOf));
    }
  }
  const found = await requireFreelancer(ctx.store, id);
  if (!found.ok) return found;
  // A capped renewal due by asOf and not written yet: the balance as the renewal will leave it.
  const projected = await projectDueCaps(ctx, id, asOf);
  if (projected !== undefined) return view(balanceAt(projected, asOf), expiringWithin(projected.lots, asOf));
  if (asOf === now) {
    const lots = await ctx.store.lots(id, { withRemaining: true });
    return view(await ctx.store.balance(id, asOf), expiringWithin(lots, asOf));
  }
  const entries = await entriesUpTo(ctx, id, asOf, options.maxAsOfEntries ?? MAX_AS_OF_ENTRIES);
  if (!entries.ok) return entries;
  const lots = await ctx.store.lots(id);
  return view(
    balanceAsOf(lots, entries.value, asOf),
    expiringWithin(lotsAsOf(lots, entries.value, asOf), asOf),
  );
}

/** The entries effective at or before t, oldest first, a page at a time: at most `max` of them. */
async function entriesUpTo(
  ctx: AppContext,
  account: string,
  t: Instant,
  max: number,
): Promise<Result<Entry[]>> {
  const entries: Entry[] = [];
  let cursor: string | undefined;
  while (entries.length <= max) {
    const page = await ctx.store.entries(account, {
      until: t + 1,
      order: 'asc',
      limit: MAX_ENTRIES_PAGE,
      ...(cursor === undefined ? {} : { cursor }),
    });
    if (!page.ok) return page;
    entries.push(...page.value.entries);
    if (page.value.nextCursor === null) {
      if (entries.length <= max) return ok(entries);
      break;
    }
    cursor = page.value.nextCursor;
  }
  return err(
    connectsError('history_too_long', `The history up to asOf holds more than ${max} entries.`, {
      maxEntries: max,
      asOf: toIso(t),
    }),
  );
}
