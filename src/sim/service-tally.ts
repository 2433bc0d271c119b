import { balanceAsOf, lotsAsOf } from '../core/ledger/balance.ts';
import { isSpendable } from '../core/ledger/lot-order.ts';
import type { Instant } from '../core/time.ts';
import type { Entry, Lot } from '../core/types.ts';
import {
  entryColumns,
  entryFromRow,
  lotColumns,
  lotFromRow,
  type EntryRow,
  type LotRow,
} from '../store/rows.ts';
import { selectRows } from '../store/select-rows.ts';
import type { LedgerStore } from '../store/store.ts';
import type { FlowField, RunTally } from './metrics.ts';

/**
 * The simulator's monthly figures read back from a service's tables (ledger
 * entries and lots, purchases, plan events): what the truth check compares
 * the engine's tallies with. Expiries are counted lazily, as balances are:
 * Connects whose lot expired before the end count even if no sweep wrote
 * the entry yet.
 */
export async function serviceTally(
  store: LedgerStore,
  accounts: readonly string[],
  monthStarts: readonly Instant[],
  tally: RunTally,
): Promise<void> {
  const end = monthStarts[monthStarts.length - 1] as Instant;
  const monthOf = (t: Instant) => {
    if (t < (monthStarts[0] as Instant) || t >= end) return -1;
    let m = 0;
    while (t >= (monthStarts[m + 1] as Instant)) m += 1;
    return m;
  };
  const add = (t: Instant, field: FlowField, n: number) => {
    const m = monthOf(t);
    if (m >= 0) tally.add(m, field, n);
  };
  for (const account of accounts) {
    const lots = (
      await selectRows<LotRow>(
        store,
        `SELECT ${lotColumns} FROM lots WHERE account = $1`,
        [account],
        'r.lot_no',
      )
    ).map(lotFromRow);
    const entries = (
      await selectRows<EntryRow>(
        store,
        `SELECT ${entryColumns} FROM entries WHERE account = $1`,
        [account],
        'r.seq',
      )
    ).map(entryFromRow);
    const prices = await selectRows<{
      lot_no: number;
      unit_price_cents: number;
      total_cents: number;
      created_at: number;
    }>(
      store,
      `SELECT lot_no, unit_price_cents, total_cents, created_at FROM purchases WHERE freelancer_id = $1 AND status = 'succeeded'`,
      [account],
      'r.created_at',
    );
    const plans = await selectRows<{
      kind: string;
      plan: string;
      occurred_at: number;
      amount_cents: number | null;
    }>(
      store,
      'SELECT event_no, kind, plan, occurred_at, amount_cents FROM plan_events WHERE freelancer_id = $1',
      [account],
      'r.event_no',
    );
    const registered = await selectRows<{ registered_at: number }>(
      store,
      'SELECT registered_at FROM freelancers WHERE id = $1',
      [account],
      'r.registered_at',
    );
    const unitPrice = new Map(prices.map((p) => [p.lot_no, p.unit_price_cents]));
    for (const p of prices) {
      add(p.created_at, 'purchases', 1);
      add(p.created_at, 'purchaseRevenueCents', p.total_cents);
    }
    for (const e of plans)
      if (e.amount_cents !== null) add(e.occurred_at, 'plusRevenueCents', e.amount_cents);
    countEntries(entries, unitPrice, add);
    for (const lot of lots) {
      // Expired but not yet written by a sweep: lazily expired all the same.
      if (lot.remaining > 0 && lot.expiresAt <= end - 1) {
        add(lot.expiresAt, unitPrice.has(lot.lotNo) ? 'expiredPaid' : 'expiredFree', lot.remaining);
      }
    }
    const registeredAt = registered[0]?.registered_at ?? end;
    monthStarts.slice(1).forEach((monthEnd, m) => {
      const t = monthEnd - 1;
      if (registeredAt > t) return;
      stocks(tally, m, t, lots, entries, unitPrice, plans);
    });
  }
}

function countEntries(
  entries: readonly Entry[],
  unitPrice: Map<number, number>,
  add: (t: Instant, f: FlowField, n: number) => void,
) {
  for (const entry of entries) {
    const t = entry.effectiveAt;
    switch (entry.type) {
      case 'grant': {
        const source = entry.lot?.source;
        const field: FlowField =
          source === 'signup'
            ? 'issuedSignup'
            : source === 'allotment'
              ? 'issuedAllotment'
              : source === 'proration'
                ? 'issuedProration'
                : source === 'purchase'
                  ? 'issuedPurchase'
                  : source === 'interview'
                    ? 'issuedInterview'
                    : 'issuedOther';
        add(t, field, entry.amount);
        break;
      }
      case 'forfeit':
        add(t, 'forfeited', entry.amount);
        break;
      case 'debit':
        add(t, entry.reason === 'proposal' ? 'spentProposals' : 'spentBadge', entry.amount);
        break;
      case 'hold_capture':
        add(t, 'spentBoosts', entry.amount);
        break;
      case 'expiry':
        for (const p of entry.postings)
          add(t, unitPrice.has(p.lotNo) ? 'expiredPaid' : 'expiredFree', -p.amount);
        break;
      default:
        break;
    }
  }
}

function stocks(
  tally: RunTally,
  m: number,
  t: Instant,
  lots: readonly Lot[],
  entries: readonly Entry[],
  unitPrice: Map<number, number>,
  plans: readonly { plan: string; occurred_at: number }[],
) {
  const balance = balanceAsOf(lots, entries, t);
  tally.add(m, 'freelancers', 1);
  tally.add(m, 'outstanding', balance.balance);
  tally.add(m, 'held', balance.held);
  if (balance.balance === 0) tally.add(m, 'atZero', 1);
  const planAt = plans.filter((p) => p.occurred_at <= t).at(-1)?.plan ?? 'basic';
  if (planAt === 'plus') tally.add(m, 'plusMembers', 1);
  let deferred = 0;
  for (const lot of lotsAsOf(lots, entries, t)) {
    const price = unitPrice.get(lot.lotNo);
    if (price !== undefined && isSpendable(lot, t)) deferred += lot.remaining * price;
  }
  tally.add(m, 'deferredRevenueCents', deferred);
  tally.balance(m, balance.balance);
}
