-- Freelancers, their rewards and plans (SPEC 2, 3.1-3.2). Keyed by freelancer
-- id (the ledger account) first, like every table. Instants are bigint
-- milliseconds since the Unix epoch, UTC. See docs/economy-accounts.md.

CREATE TABLE freelancers (
  id                  text     PRIMARY KEY,
  name                text,
  registered_at       bigint   NOT NULL,
  -- Day of month on which cycles after the first start (the 29th-31st map to the 1st).
  anchor_day          smallint NOT NULL CHECK (anchor_day BETWEEN 1 AND 28),
  plan                text     NOT NULL CHECK (plan IN ('basic', 'plus')),
  -- A downgrade waiting for the next renewal, and when it was asked for.
  pending_plan        text     CHECK (pending_plan IN ('basic', 'plus')),
  pending_since       bigint,
  -- Card token charged at each Plus renewal (from the upgrade request).
  card                text,
  -- Index of the last cycle whose allotment was issued (0: the registration cycle).
  last_allotted_cycle integer  NOT NULL CHECK (last_allotted_cycle >= 0),
  -- Start of cycle last_allotted_cycle + 1: the scheduler's work list.
  next_cycle_at       bigint   NOT NULL CHECK (next_cycle_at > registered_at),
  -- Number of plan_events rows written for this freelancer.
  plan_events         integer  NOT NULL DEFAULT 0 CHECK (plan_events >= 0),
  CHECK ((pending_plan IS NULL) = (pending_since IS NULL))
);

-- The scheduler's work list: due accounts by the start of their next cycle,
-- paged by id so each batch starts where the last one ended.
CREATE INDEX freelancers_next_cycle ON freelancers (next_cycle_at, id);

-- One-time rewards: the Rising Talent badge and the certification bonus.
CREATE TABLE freelancer_rewards (
  freelancer_id text   NOT NULL,
  reward        text   NOT NULL CHECK (reward IN ('rising_talent', 'certification')),
  -- What earned it (the certification id); NULL for the badge.
  ref           text,
  connects      bigint NOT NULL CHECK (connects >= 0),
  granted_at    bigint NOT NULL,
  PRIMARY KEY (freelancer_id, reward)
);

-- The latest Rising Talent facts the marketplace reported.
CREATE TABLE rising_talent_facts (
  freelancer_id text   PRIMARY KEY,
  facts         jsonb  NOT NULL,
  reported_at   bigint NOT NULL
);

-- Plan history: upgrades, downgrade requests, renewals and payment failures.
CREATE TABLE plan_events (
  freelancer_id text    NOT NULL,
  event_no      integer NOT NULL CHECK (event_no >= 1),
  kind          text    NOT NULL CHECK (kind IN ('upgraded', 'downgrade_requested', 'downgrade_cancelled',
                                                 'downgraded', 'renewed', 'payment_failed')),
  occurred_at   bigint  NOT NULL,
  cycle_index   integer NOT NULL CHECK (cycle_index >= 0),
  -- The plan after the event.
  plan          text    NOT NULL CHECK (plan IN ('basic', 'plus')),
  amount_cents  bigint  CHECK (amount_cents >= 0),
  charge_id     text,
  -- Prorated Connects granted by an upgrade.
  connects      bigint  CHECK (connects >= 0),
  reason        text,
  PRIMARY KEY (freelancer_id, event_no)
);

-- A cycle is upgraded, renewed, failed or downgraded at most once per freelancer.
CREATE UNIQUE INDEX plan_events_once_per_cycle ON plan_events (freelancer_id, cycle_index, kind)
  WHERE kind IN ('upgraded', 'downgraded', 'renewed', 'payment_failed');
