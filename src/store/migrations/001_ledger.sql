-- The ledger. Every table is keyed by account first (idempotency by its
-- scope, which for ledger operations is the account), so the data can be
-- distributed by that column; no row is shared by all writers.
-- Instants are bigint milliseconds since the Unix epoch, UTC (columns *_at).
-- Connects are bigint whole numbers.

CREATE TABLE accounts (
  account     text    PRIMARY KEY,
  -- seq of the last entry; the next entry gets seq + 1.
  seq         bigint  NOT NULL CHECK (seq >= 0),
  next_lot_no integer NOT NULL CHECK (next_lot_no >= 1),
  created_at  bigint  NOT NULL
);

CREATE TABLE lots (
  account    text    NOT NULL,
  lot_no     integer NOT NULL,
  source     text    NOT NULL,
  category   text    NOT NULL CHECK (category IN ('free', 'paid')),
  amount     bigint  NOT NULL CHECK (amount > 0),
  remaining  bigint  NOT NULL CHECK (remaining >= 0 AND remaining <= amount),
  issued_at  bigint  NOT NULL,
  expires_at bigint  NOT NULL CHECK (expires_at > issued_at),
  ref        text,
  PRIMARY KEY (account, lot_no)
);

-- The sweep's work list: lots still holding Connects, by expiry.
CREATE INDEX lots_live_by_expiry ON lots (expires_at) WHERE remaining > 0;

CREATE TABLE holds (
  account    text   NOT NULL,
  hold_id    text   NOT NULL,
  amount     bigint NOT NULL CHECK (amount > 0),
  -- The (negative) postings that funded the hold: [{"lotNo":1,"amount":-3}].
  draws      jsonb  NOT NULL,
  placed_at  bigint NOT NULL,
  ref        text,
  status     text   NOT NULL CHECK (status IN ('active', 'captured', 'released')),
  settled_at bigint,
  PRIMARY KEY (account, hold_id)
);

CREATE TABLE entries (
  account          text   NOT NULL,
  seq              bigint NOT NULL,
  type             text   NOT NULL,
  amount           bigint NOT NULL CHECK (amount >= 0),
  postings         jsonb  NOT NULL,
  balance_before   bigint NOT NULL,
  balance_after    bigint NOT NULL CHECK (balance_after >= 0),
  available_before bigint NOT NULL,
  available_after  bigint NOT NULL CHECK (available_after >= 0),
  effective_at     bigint NOT NULL,
  recorded_at      bigint NOT NULL,
  ref              text,
  reason           text,
  -- The lot this entry created, as issued (grants, positive adjustments, fresh-lot refunds).
  lot              jsonb,
  hold_id          text,
  idempotency_key  text,
  PRIMARY KEY (account, seq)
);

CREATE INDEX entries_by_ref ON entries (account, ref, seq) WHERE ref IS NOT NULL;

-- History is append-only: corrections are new entries.
CREATE FUNCTION entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are append-only';
END;
$$;

CREATE TRIGGER entries_append_only
  BEFORE UPDATE OR DELETE ON entries
  FOR EACH STATEMENT EXECUTE FUNCTION entries_append_only();

CREATE TABLE idempotency (
  scope        text   NOT NULL,
  key          text   NOT NULL,
  request_hash text   NOT NULL,
  result       jsonb  NOT NULL,
  created_at   bigint NOT NULL,
  PRIMARY KEY (scope, key)
);
