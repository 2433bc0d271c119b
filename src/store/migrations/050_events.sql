-- Events: a transactional outbox fed by a trigger on entries, and webhook
-- delivery state. Instants are bigint milliseconds since the Unix epoch, UTC.
-- See docs/events.md.

-- Operator settings for events. A tiny table read by every ledger write
-- (readers never block each other), written only by the operator.
CREATE TABLE event_settings (
  name       text   PRIMARY KEY,
  value      bigint NOT NULL,
  updated_at bigint NOT NULL
);

-- balance.low fires when an entry takes the balance from at least this many
-- Connects to fewer. 0 turns it off.
INSERT INTO event_settings (name, value, updated_at) VALUES ('low_balance_threshold', 10, 0);

-- The outbox. Ledger events point at their entry (account, seq) instead of
-- copying it: entries are append-only, so the payload is rebuilt identically
-- at every delivery attempt and the write path stays small. The id comes
-- from a sequence (no shared row is locked); the key leads with the account
-- like every ledger table.
CREATE TABLE event_outbox (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  account       text   NOT NULL,
  type          text   NOT NULL,
  -- The entry behind a ledger event; NULL for connects.expiring_soon.
  seq           bigint,
  occurred_at   bigint NOT NULL,
  -- What the entry does not say: the threshold of balance.low, the lot of expiring_soon.
  data          jsonb,
  -- Set once the dispatcher has created this event's deliveries.
  fanned_out_at bigint,
  PRIMARY KEY (account, id)
);

CREATE INDEX event_outbox_unfanned ON event_outbox (id) WHERE fanned_out_at IS NULL;

-- One outbox row per entry that changes Connects in a way operators hear
-- about, plus balance.low when an entry crosses the threshold downwards.
-- Statement-level with a transition table: a batch of a thousand entries
-- costs one extra INSERT ... SELECT, in the same transaction as the entries,
-- so a rolled-back write leaves no event. Rows are numbered in (account, seq)
-- order and an account's writes are serialised by its row lock, so outbox ids
-- follow each account's history.
CREATE FUNCTION event_outbox_from_entries() RETURNS trigger LANGUAGE plpgsql AS $$
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
    SELECT e.account, e.seq, 1, e.effective_at, jsonb_build_object('threshold', threshold), 'balance.low'
    FROM new_entries e
    WHERE e.balance_after < threshold AND e.balance_before >= threshold
  ) ev
  WHERE ev.type IS NOT NULL
  ORDER BY ev.account, ev.seq, ev.rank;
  RETURN NULL;
END;
$$;

CREATE TRIGGER event_outbox_from_entries
  AFTER INSERT ON entries
  REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION event_outbox_from_entries();

-- connects.expiring_soon is sent once per lot and threshold (30, 7 days).
CREATE TABLE expiry_notices (
  account     text    NOT NULL,
  lot_no      integer NOT NULL,
  days        integer NOT NULL CHECK (days > 0),
  notified_at bigint  NOT NULL,
  PRIMARY KEY (account, lot_no, days)
);

-- Operator-registered receivers. A small reference table (not per account).
CREATE TABLE webhook_endpoints (
  id          text    PRIMARY KEY,
  url         text    NOT NULL,
  -- 'whsec_' + base64 of the HMAC key. Kept in clear: signing needs it.
  secret      text    NOT NULL,
  -- NULL: every event type.
  event_types text[],
  active      boolean NOT NULL DEFAULT true,
  created_at  bigint  NOT NULL,
  deleted_at  bigint
);

-- One row per (event, endpoint). Deliveries to one endpoint for one account
-- go out in event order: only the pending row with the lowest event_id of its
-- (endpoint, account) is ever attempted.
CREATE TABLE webhook_deliveries (
  account         text    NOT NULL,
  endpoint_id     text    NOT NULL,
  event_id        bigint  NOT NULL,
  status          text    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- When the next attempt may start; also a lease while an attempt is in flight.
  next_attempt_at bigint  NOT NULL,
  last_attempt_at bigint,
  -- HTTP status of the last attempt, NULL when it got no response.
  last_status     integer,
  last_error      text,
  delivered_at    bigint,
  created_at      bigint  NOT NULL,
  PRIMARY KEY (account, endpoint_id, event_id)
);

CREATE INDEX webhook_deliveries_chain ON webhook_deliveries (endpoint_id, account, event_id)
  WHERE status = 'pending';
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, status, event_id);
