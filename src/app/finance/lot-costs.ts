import { assert } from '../../core/errors.ts';
import type { Operation } from '../../core/ledger/operations.ts';
import type { Posting } from '../../core/types.ts';
import type { ExecuteResult, StoreTx } from '../../store/store.ts';

/**
 * Unit costs (cents per Connect) of some of an account's lots, from the
 * lot_unit_costs view (migration 072): free lots 0, a purchase's lot its
 * unit price, a fresh refund lot the cost recorded when it was issued.
 */
export async function lotUnitCosts(
  tx: Pick<StoreTx, 'query'>,
  account: string,
  lotNos: readonly number[],
): Promise<Map<number, number>> {
  if (lotNos.length === 0) return new Map();
  const { rows } = await tx.query<{ lot_no: number; unit_cost_cents: number | string }>(
    `SELECT lot_no, unit_cost_cents FROM lot_unit_costs WHERE account = $1 AND lot_no = ANY($2::int4[])`,
    [account, [...new Set(lotNos)]],
  );
  return new Map(rows.map((r) => [Number(r.lot_no), Number(r.unit_cost_cents)]));
}

/**
 * A refund with mode `fresh_lot` issues one new lot per lot the refunded
 * debit drew from, in the order of its draws (src/core/ledger/refund.ts).
 * Pairs each such lot with the lot its Connects came from.
 */
export function freshRefundLots(
  ops: readonly Operation[],
  result: ExecuteResult,
): { readonly lotNo: number; readonly from: Posting; readonly paid: boolean }[] {
  const draws = ops.flatMap((op) => (op.kind === 'refund' && op.mode === 'fresh_lot' ? op.draws : []));
  const lots = result.entries.flatMap((e) => (e.type === 'refund' && e.lot !== undefined ? [e.lot] : []));
  assert(lots.length === draws.length, 'a fresh-lot refund issues one lot per draw');
  return lots.map((lot, i) => ({
    lotNo: lot.lotNo,
    from: draws[i] as Posting,
    paid: lot.category === 'paid',
  }));
}

/**
 * Records the cost basis of the paid lots fresh-lot refunds just issued on
 * one account: each costs what the Connects it returns cost. Runs in the
 * transaction that applied the refund; a replayed result wrote nothing new.
 */
export async function recordRefundLotCosts(
  tx: StoreTx,
  account: string,
  ops: readonly Operation[],
  result: ExecuteResult,
): Promise<void> {
  if (result.replayed || !ops.some((op) => op.kind === 'refund' && op.mode === 'fresh_lot')) return;
  const paid = freshRefundLots(ops, result).filter((lot) => lot.paid);
  if (paid.length === 0) return;
  const costs = await lotUnitCosts(
    tx,
    account,
    paid.map((lot) => lot.from.lotNo),
  );
  const lotNos = paid.map((lot) => lot.lotNo);
  const units = paid.map((lot) => costs.get(lot.from.lotNo) ?? 0);
  await tx.query(
    `INSERT INTO lot_costs (account, lot_no, unit_cost_cents)
     SELECT $1, n, c FROM unnest($2::int4[], $3::int8[]) AS t(n, c)
     ON CONFLICT (account, lot_no) DO NOTHING`,
    [account, lotNos, units],
  );
}
