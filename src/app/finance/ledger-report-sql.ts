/**
 * The monthly ledger report in one statement, so every figure comes from one
 * snapshot of the store (on PostgreSQL a statement sees one snapshot; PGlite
 * runs one statement at a time). $1 is the month's start, $2 its end.
 *
 * The state at an instant t is derived backwards from the state now (lots'
 * remaining Connects and active holds) minus every movement effective at or
 * after t, so the work is the entries since the month's start (an index range
 * on effective_at) plus the live lots, not the whole history.
 *
 * Each movement is one lot's part of an entry, valued at that lot's unit cost
 * (view lot_unit_costs). `delta` is the change of the balance (Connects in
 * lots plus held), `held` the change of the held part:
 * - a hold moves Connects from lots into the hold: delta 0, held +x;
 * - a release moves them back: delta 0, held -x;
 * - a capture spends the held Connects: its hold's draws, delta and held -x;
 * - every other entry's postings change the lots: delta = the posting.
 * Rows: part 'moves' (by line, item, category; n1..n4 in the month, n5..n8
 * after it), 'lots' and 'held' (now, by category), 'book' (recorded balances).
 */
export const ledgerReportSql = `
WITH moves AS (
  SELECT e.account, e.effective_at AS at, e.type, e.reason, e.ref, e.lot->>'source' AS source,
    (p.value->>'lotNo')::int4 AS lot_no,
    CASE WHEN e.type IN ('hold', 'hold_release') THEN 0 ELSE (p.value->>'amount')::int8 END AS delta,
    CASE WHEN e.type IN ('hold', 'hold_release') THEN -(p.value->>'amount')::int8 ELSE 0 END AS held
  FROM entries e CROSS JOIN LATERAL jsonb_array_elements(e.postings) AS p(value)
  WHERE e.effective_at >= $1 AND e.type <> 'hold_capture'
  UNION ALL
  SELECT e.account, e.effective_at, e.type, e.reason, e.ref, NULL,
    (d.value->>'lotNo')::int4, (d.value->>'amount')::int8, (d.value->>'amount')::int8
  FROM entries e
  JOIN holds h ON h.account = e.account AND h.hold_id = e.hold_id
  CROSS JOIN LATERAL jsonb_array_elements(h.draws) AS d(value)
  WHERE e.effective_at >= $1 AND e.type = 'hold_capture'
),
valued AS (
  SELECT m.at, m.delta, m.held, c.category, c.unit_cost_cents AS unit,
    CASE m.type
      WHEN 'grant' THEN 'issued'
      WHEN 'refund' THEN 'refunds'
      WHEN 'debit' THEN 'spent'
      WHEN 'hold_capture' THEN 'spent'
      WHEN 'expiry' THEN 'expired'
      WHEN 'adjustment' THEN CASE WHEN m.ref LIKE 'purchase:%' THEN 'chargebacks' ELSE 'adjustments' END
      ELSE 'holds'
    END AS line,
    CASE m.type
      WHEN 'grant' THEN m.source
      WHEN 'debit' THEN CASE m.reason
        WHEN 'proposal' THEN 'proposals' WHEN 'availability_badge' THEN 'badge' ELSE 'other' END
      WHEN 'hold_capture' THEN 'boosts'
      ELSE ''
    END AS item
  FROM moves m JOIN lot_unit_costs c ON c.account = m.account AND c.lot_no = m.lot_no
)
SELECT 'moves' AS part, line, item, category,
  coalesce(sum(delta) FILTER (WHERE at < $2), 0)::int8 AS n1,
  coalesce(sum(delta * unit) FILTER (WHERE at < $2), 0)::int8 AS n2,
  coalesce(sum(held) FILTER (WHERE at < $2), 0)::int8 AS n3,
  coalesce(sum(held * unit) FILTER (WHERE at < $2), 0)::int8 AS n4,
  coalesce(sum(delta) FILTER (WHERE at >= $2), 0)::int8 AS n5,
  coalesce(sum(delta * unit) FILTER (WHERE at >= $2), 0)::int8 AS n6,
  coalesce(sum(held) FILTER (WHERE at >= $2), 0)::int8 AS n7,
  coalesce(sum(held * unit) FILTER (WHERE at >= $2), 0)::int8 AS n8
FROM valued GROUP BY line, item, category
UNION ALL
SELECT 'lots', '', '', category, sum(remaining)::int8, sum(remaining * unit_cost_cents)::int8, 0, 0, 0, 0, 0, 0
FROM lot_unit_costs WHERE remaining > 0 GROUP BY category
UNION ALL
SELECT 'held', '', '', c.category, sum(-(d.value->>'amount')::int8)::int8,
  sum(-(d.value->>'amount')::int8 * c.unit_cost_cents)::int8, 0, 0, 0, 0, 0, 0
FROM holds h
CROSS JOIN LATERAL jsonb_array_elements(h.draws) AS d(value)
JOIN lot_unit_costs c ON c.account = h.account AND c.lot_no = (d.value->>'lotNo')::int4
WHERE h.status = 'active' GROUP BY c.category
UNION ALL
SELECT 'book', '', '', '',
  -- Each account's last recorded balance, looked up by primary key (never a scan of all entries).
  (SELECT coalesce(sum((SELECT e.balance_after FROM entries e WHERE e.account = a.account AND e.seq = a.seq)), 0)
   FROM accounts a)::int8,
  coalesce(sum(balance_after - balance_before) FILTER (WHERE effective_at < $2), 0)::int8,
  coalesce(sum(balance_after - balance_before) FILTER (WHERE effective_at >= $2), 0)::int8,
  count(*) FILTER (WHERE effective_at < $2)::int8,
  count(*) FILTER (WHERE effective_at < $2 AND recorded_at >= $2)::int8,
  coalesce(sum(amount) FILTER (WHERE effective_at < $2 AND type = 'forfeit'), 0)::int8,
  0, 0
FROM entries WHERE effective_at >= $1`;

export interface ReportRow {
  part: 'moves' | 'lots' | 'held' | 'book';
  line: string;
  item: string;
  category: string;
  n1: number | string;
  n2: number | string;
  n3: number | string;
  n4: number | string;
  n5: number | string;
  n6: number | string;
  n7: number | string;
  n8: number | string;
}
