-- Purchases of Connects (SPEC 3.3). Keyed by freelancer first, like every
-- table holding account data. A row exists for a purchase whose card was
-- charged (status succeeded, later refunding/refunded) or declined (kept so
-- a retry of the same purchase id answers the same way). A transient payment
-- failure stores nothing, so the retry is free to run again.
-- Instants are bigint milliseconds since the Unix epoch, UTC; money is
-- bigint cents; the card number itself is never stored.

CREATE TABLE purchases (
  freelancer_id       text    NOT NULL,
  purchase_id         text    NOT NULL,
  status              text    NOT NULL CHECK (status IN ('succeeded', 'declined', 'refunding', 'refunded')),
  -- Hash of what was asked (connects, card, jurisdiction): a reused id with another request conflicts.
  request_hash        text    NOT NULL,
  policy_id           text    NOT NULL,
  connects            bigint  NOT NULL CHECK (connects > 0),
  unit_price_cents    bigint  NOT NULL CHECK (unit_price_cents >= 0),
  price_cents         bigint  NOT NULL CHECK (price_cents >= 0),
  tax_jurisdiction    text,
  tax_rate_bp         integer NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
  tax_cents           bigint  NOT NULL CHECK (tax_cents >= 0),
  total_cents         bigint  NOT NULL CHECK (total_cents = price_cents + tax_cents),
  currency            text    NOT NULL,
  card_last4          text    NOT NULL,
  charge_id           text,
  decline_reason      text,
  -- The lot the purchase created and its expiry.
  lot_no              integer,
  expires_at          bigint,
  created_at          bigint  NOT NULL,
  -- Refund (chargeback): Connects removed from the lot, and the money refund.
  refund_reason       text,
  clawed_back         bigint  CHECK (clawed_back >= 0),
  refund_requested_at bigint,
  refund_id           text,
  refunded_at         bigint,
  PRIMARY KEY (freelancer_id, purchase_id),
  CHECK (status = 'declined' OR (lot_no IS NOT NULL AND expires_at IS NOT NULL AND (charge_id IS NOT NULL OR total_cents = 0))),
  CHECK (status <> 'declined' OR decline_reason IS NOT NULL),
  CHECK (status NOT IN ('refunding', 'refunded') OR (clawed_back IS NOT NULL AND refund_requested_at IS NOT NULL)),
  CHECK (status <> 'refunded' OR refunded_at IS NOT NULL)
);

-- A freelancer's purchase history, newest first.
CREATE INDEX purchases_by_time ON purchases (freelancer_id, created_at DESC, purchase_id DESC);
