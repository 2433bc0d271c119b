-- The outbox trigger looked up every new entry's freelancer for balance.low, though only an entry that
-- lowers the balance can cross the threshold downwards (after < threshold <= before needs after < before).
-- The same events, with that test first: a batch of grants (a monthly tick writes ten thousand at a time)
-- no longer reads the freelancers table, which halves the trigger's time there.
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
    WHERE e.balance_after < e.balance_before
      AND e.balance_after < t.threshold AND e.balance_before >= t.threshold
  ) ev
  WHERE ev.type IS NOT NULL
  ORDER BY ev.account, ev.seq, ev.rank;
  RETURN NULL;
END;
$$;
