-- Billing cycles restarted by an upgrade to Freelancer Plus (policy plans.plus.upgradeBilling =
-- restart_cycle, SPEC 3.2): cycle cycle_anchor_index starts at cycle_anchor_at and later cycles at
-- 00:00 UTC on anchor_day. Both NULL: cycles are counted from registration. See docs/economy-accounts.md.
ALTER TABLE freelancers ADD COLUMN cycle_anchor_at bigint;
ALTER TABLE freelancers ADD COLUMN cycle_anchor_index integer CHECK (cycle_anchor_index >= 1);
ALTER TABLE freelancers ADD CONSTRAINT freelancers_cycle_anchor
  CHECK ((cycle_anchor_at IS NULL) = (cycle_anchor_index IS NULL));
