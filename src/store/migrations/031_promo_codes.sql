-- Promo codes (SPEC 4). promo_codes is operator data, one row per code; its
-- `redeemed` counter is a hot row per code (not global) and is only ever
-- raised by a conditional UPDATE that keeps it within max_redemptions.
-- Redemptions are account data, keyed by freelancer first; the primary key
-- makes "once per freelancer" a database fact.
-- Instants are bigint milliseconds since the Unix epoch, UTC.

CREATE TABLE promo_codes (
  code              text    PRIMARY KEY CHECK (code ~ '^[A-Z0-9_-]{3,40}$'),
  connects          bigint  NOT NULL CHECK (connects > 0),
  -- Redeemable iff valid_from <= t < valid_until.
  valid_from        bigint  NOT NULL,
  valid_until       bigint  NOT NULL CHECK (valid_until > valid_from),
  max_redemptions   integer NOT NULL CHECK (max_redemptions > 0),
  redeemed          integer NOT NULL DEFAULT 0 CHECK (redeemed >= 0 AND redeemed <= max_redemptions),
  -- Lifetime of the lots the code grants; null: the policy's lifetime at redemption.
  lot_lifetime_days integer CHECK (lot_lifetime_days > 0),
  created_at        bigint  NOT NULL
);

CREATE TABLE promo_redemptions (
  freelancer_id text   NOT NULL,
  -- No foreign key to promo_codes: redemptions live with their account's shard.
  code          text   NOT NULL,
  connects      bigint NOT NULL CHECK (connects > 0),
  -- Connects actually credited (a holding cap may forfeit part) and the lot, if any.
  credited      bigint CHECK (credited >= 0),
  lot_no        integer,
  expires_at    bigint NOT NULL,
  redeemed_at   bigint NOT NULL,
  PRIMARY KEY (freelancer_id, code)
);
