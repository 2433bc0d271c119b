-- What Connects are worth (docs/finance.md). A lot's unit cost is derived,
-- not stored on the lot: free lots cost 0, a purchase's lot costs the
-- purchase's unit price (tax apart). The one paid lot no purchase row
-- describes is a fresh lot a refund issues for paid Connects (policy
-- refundMode fresh_lot): it costs what the Connects it returns cost, and
-- the use case that issues it records that here, in the same transaction.
CREATE TABLE lot_costs (
  account         text    NOT NULL,
  lot_no          integer NOT NULL,
  unit_cost_cents bigint  NOT NULL CHECK (unit_cost_cents >= 0),
  PRIMARY KEY (account, lot_no)
);

-- The monthly ledger report reads the entries effective since a month's
-- start: a range over every account.
CREATE INDEX entries_by_effective_at ON entries (effective_at);

-- A purchase found from its lot (the report's cost basis).
CREATE INDEX purchases_by_lot ON purchases (freelancer_id, lot_no) WHERE lot_no IS NOT NULL;

-- Every lot's unit cost in cents per Connect: the one definition the lots
-- API, the refund path and the ledger report share.
CREATE VIEW lot_unit_costs AS
SELECT l.account, l.lot_no, l.category, l.remaining,
  CASE WHEN l.category = 'free' THEN 0::int8
       ELSE COALESCE(p.unit_price_cents, c.unit_cost_cents, 0)::int8 END AS unit_cost_cents
FROM lots l
LEFT JOIN purchases p ON l.source = 'purchase' AND p.freelancer_id = l.account AND p.lot_no = l.lot_no
LEFT JOIN lot_costs c ON c.account = l.account AND c.lot_no = l.lot_no;
