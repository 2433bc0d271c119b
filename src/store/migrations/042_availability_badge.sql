-- The "Available now" badge (SPEC 5.4) and the operator's settings.

-- Operator settings with their history: a value applies from effective_at
-- until the next row of the same key. The badge's weekly price lives here
-- (key 'badge.weekly_price_connects'); without a row the policy's default applies.
CREATE TABLE operator_settings (
  key          text   NOT NULL,
  effective_at bigint NOT NULL,
  value        bigint NOT NULL,
  set_at       bigint NOT NULL,
  PRIMARY KEY (key, effective_at)
);

-- One row per freelancer who ever used the badge. While on, (since,
-- weekly_price_connects, charged) is the pure charging schedule.
CREATE TABLE availability_badges (
  freelancer_id         text    PRIMARY KEY,
  is_on                 boolean NOT NULL,
  weekly_max_connects   integer NOT NULL CHECK (weekly_max_connects >= 0),
  since                 bigint  NOT NULL,
  weekly_price_connects integer NOT NULL CHECK (weekly_price_connects >= 0),
  charged               integer NOT NULL CHECK (charged >= 0),
  -- When the scheduler must look at this badge next (a charge falls due or the price may change).
  next_check_at         bigint,
  off_at                bigint,
  off_reason            text    CHECK (off_reason IN ('freelancer', 'price_above_max', 'insufficient_connects')),
  updated_at            bigint  NOT NULL
);

CREATE INDEX availability_badges_due ON availability_badges (next_check_at) WHERE is_on;
