import type { PriorReward } from '../core/interview-cap.ts';
import type { Instant } from '../core/time.ts';
import type { Hold, Lot } from '../core/types.ts';
import { freelancerColumns, freelancerFromRow, type FreelancerRow } from '../app/accounts/freelancer-rows.ts';
import {
  holdColumns,
  holdFromRow,
  lotColumns,
  lotFromRow,
  type HoldRow,
  type LotRow,
} from '../store/rows.ts';
import { badgeColumns, badgeFromRow, type BadgeRow } from '../app/badge/badge-rows.ts';
import { operatorPrices, type PriceChange } from '../app/badge/badge-price.ts';
import { selectRows } from '../store/select-rows.ts';
import type { LedgerStore, StoreTx } from '../store/store.ts';
import type { StartingAccount } from './freelancer.ts';
import { MAX_FREELANCERS } from './params.ts';

/**
 * The snapshot population: every registered freelancer as the store holds
 * them now (plan, pending downgrade, billing anchor, lots with Connects left,
 * active holds, paid lots' prices, recent interview rewards, a running
 * availability badge). Only SELECTs,
 * in read batches of BATCH freelancers by id; nothing is ever written.
 */

const BATCH = 1_000;

interface AccountRow {
  account: string;
  seq: number;
  next_lot_no: number;
  last_effective_at: number | null;
}

async function loadBatch(tx: StoreTx, after: string, now: Instant): Promise<StartingAccount[]> {
  const freelancers = (
    await selectRows<FreelancerRow>(
      tx,
      `SELECT ${freelancerColumns} FROM freelancers WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
      [after],
      'r.id',
    )
  ).map(freelancerFromRow);
  const last = freelancers[freelancers.length - 1];
  if (last === undefined) return [];
  const range = [after, last.id];
  const inRange = 'account > $1 AND account <= $2';
  const accounts = await selectRows<AccountRow>(
    tx,
    `SELECT a.account, a.seq, a.next_lot_no,
       (SELECT max(effective_at) FROM entries e WHERE e.account = a.account) AS last_effective_at
     FROM accounts a WHERE ${inRange.replaceAll('account', 'a.account')}`,
    range,
    'r.account',
  );
  const lots = await selectRows<LotRow>(
    tx,
    `SELECT ${lotColumns} FROM lots WHERE ${inRange} AND remaining > 0`,
    range,
    'r.account, r.lot_no',
  );
  const holds = await selectRows<HoldRow>(
    tx,
    `SELECT ${holdColumns} FROM holds WHERE ${inRange} AND status = 'active'`,
    range,
    'r.account, r.hold_id',
  );
  const prices = await selectRows<{ account: string; lot_no: number; unit_price_cents: number }>(
    tx,
    `SELECT freelancer_id AS account, lot_no, unit_price_cents FROM purchases
      WHERE freelancer_id > $1 AND freelancer_id <= $2 AND status = 'succeeded' AND lot_no IS NOT NULL`,
    range,
    'r.account, r.lot_no',
  );
  const interviews = await selectRows<{ account: string; at: number; connects: number }>(
    tx,
    `SELECT freelancer_id AS account, at, connects FROM interviews
      WHERE freelancer_id > $1 AND freelancer_id <= $2 AND connects > 0 AND at > $3`,
    [...range, now - 366 * 86_400_000],
    'r.account, r.at',
  );
  const badges = await selectRows<BadgeRow>(
    tx,
    `SELECT ${badgeColumns} FROM availability_badges WHERE freelancer_id > $1 AND freelancer_id <= $2 AND is_on`,
    range,
    'r.freelancer_id',
  );
  const badgeOf = new Map(badges.map((b) => [b.freelancer_id, badgeFromRow(b)]));
  const group = <T extends { account: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const list = map.get(row.account);
      if (list === undefined) map.set(row.account, [row]);
      else list.push(row);
    }
    return map;
  };
  const accountOf = new Map(accounts.map((a) => [a.account, a]));
  const lotsOf = group(lots);
  const holdsOf = group(holds);
  const pricesOf = group(prices);
  const interviewsOf = group(interviews);
  return freelancers.map((f) => {
    const a = accountOf.get(f.id);
    const state = {
      account: f.id,
      seq: a?.seq ?? 0,
      nextLotNo: a?.next_lot_no ?? 1,
      lots: (lotsOf.get(f.id) ?? []).map(lotFromRow) as Lot[],
      holds: (holdsOf.get(f.id) ?? []).map(holdFromRow) as Hold[],
      ...(a?.last_effective_at === null || a === undefined ? {} : { lastEffectiveAt: a.last_effective_at }),
    };
    return {
      id: f.id,
      state,
      registeredAt: f.registeredAt,
      plan: f.plan,
      pendingPlan: f.pendingPlan,
      anchor: f.cycleAnchor,
      lastAllottedCycle: f.lastAllottedCycle,
      nextCycleAt: f.nextCycleAt,
      paidLots: new Map((pricesOf.get(f.id) ?? []).map((p) => [p.lot_no, p.unit_price_cents])),
      interviews: (interviewsOf.get(f.id) ?? []).map((i): PriorReward => ({
        at: i.at,
        connects: i.connects,
      })),
      badge: badgeOf.get(f.id) ?? null,
    };
  });
}

/** Loads the live population (at most MAX_FREELANCERS, else an error the caller reports as too large). */
export async function loadSnapshot(
  store: LedgerStore,
  now: Instant,
  onProgress?: (loaded: number) => void,
): Promise<StartingAccount[] | 'too_large'> {
  const all: StartingAccount[] = [];
  let after = '';
  for (;;) {
    const batch = await store.transaction((tx) => loadBatch(tx, after, now));
    if (batch.length === 0) return all;
    all.push(...batch);
    if (all.length > MAX_FREELANCERS) return 'too_large';
    after = batch[batch.length - 1]?.id ?? after;
    onProgress?.(all.length);
  }
}

/** Every badge price the operator set: they override the policy's in a simulation as in the service. */
export async function loadBadgePrices(store: LedgerStore): Promise<PriceChange[]> {
  return operatorPrices(store, 0, Number.MAX_SAFE_INTEGER);
}
