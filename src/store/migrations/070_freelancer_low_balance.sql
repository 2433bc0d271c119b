-- A freelancer's own low-balance threshold for balance.low (NULL: the
-- operator-wide one in event_settings). Decided in the same trigger that
-- writes the outbox, so the event follows the threshold in force when the
-- entry is written.
ALTER TABLE freelancers ADD COLUMN low_balance_threshold bigint
  CHECK (low_balance_threshold >= 0 AND low_balance_threshold <= 1000000);

CREATE OR REPLACE FUNCTION event_outbox_from_entries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  threshold bigint := COALESCE(
    (SELECT value FROM event_settings WHERE name = 'low_balance_threshold'), 10);
BEGIN
  INSERT INTO event_outbox (account, type, seq, occurred_at, data)
  SELECT ev.account, ev.type, ev.seq, ev.occurred_at, ev.data
  FROM (
    SELECT e.account, e.seq, 0 AS rank, e.effective_at AS occurred_at, NULL::jsonb AS data,
      CASE
        WHEN e.type = 'grant' THEN 'connects.granted'
        WHEN e.type IN ('debit', 'hold_capture') THEN 'connects.spent'
        WHEN e.type = 'adjustment' AND e.balance_after > e.balance_before THEN 'connects.granted'
        WHEN e.type = 'adjustment' AND e.balance_after < e.balance_before THEN 'connects.spent'
        WHEN e.type = 'refund' THEN 'connects.refunded'
        WHEN e.type = 'expiry' THEN 'connects.expired'
      END AS type
    FROM new_entries e
    WHERE e.amount > 0
    UNION ALL
    SELECT e.account, e.seq, 1, e.effective_at, jsonb_build_object('threshold', t.threshold), 'balance.low'
    FROM new_entries e
    LEFT JOIN freelancers f ON f.id = e.account
    CROSS JOIN LATERAL (SELECT COALESCE(f.low_balance_threshold, threshold) AS threshold) t
    WHERE e.balance_after < t.threshold AND e.balance_before >= t.threshold
  ) ev
  WHERE ev.type IS NOT NULL
  ORDER BY ev.account, ev.seq, ev.rank;
  RETURN NULL;
END;
$$;
