-- Operators (docs/operators.md): named people and systems with a role and
-- API keys, beside the bootstrap admin token from the configuration. Only a
-- SHA-256 hash of each key is stored; the key is shown once, when issued.
-- Instants are bigint milliseconds since the Unix epoch, UTC.

CREATE TABLE operators (
  operator_id text   PRIMARY KEY CHECK (operator_id ~ '^[A-Za-z0-9._-]{1,64}$'),
  role        text   NOT NULL CHECK (role IN ('owner', 'support', 'finance', 'marketplace')),
  created_at  bigint NOT NULL,
  -- The actor who created it: an operator id, or 'admin' for the bootstrap token and the CLI.
  created_by  text   NOT NULL
);

CREATE TABLE operator_keys (
  key_id      text   PRIMARY KEY,
  operator_id text   NOT NULL REFERENCES operators (operator_id),
  -- Hex SHA-256 of the whole key string.
  key_hash    text   NOT NULL CHECK (length(key_hash) = 64),
  created_at  bigint NOT NULL,
  created_by  text   NOT NULL,
  -- Null: never expires. A key is refused at and after this instant.
  expires_at  bigint CHECK (expires_at IS NULL OR expires_at > created_at),
  revoked_at  bigint CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);

-- Every request with an operator key looks it up by hash (no cache: a
-- revocation holds on the next request in every server process).
CREATE UNIQUE INDEX operator_keys_by_hash ON operator_keys (key_hash);
CREATE INDEX operator_keys_by_operator ON operator_keys (operator_id, created_at);

-- Connects a support operator granted or removed per UTC day, reserved by one
-- conditional UPDATE before the write and given back when it is refused.
CREATE TABLE operator_daily_connects (
  operator_id text   NOT NULL,
  -- The UTC day, YYYY-MM-DD.
  day         text   NOT NULL,
  connects    bigint NOT NULL CHECK (connects >= 0),
  PRIMARY KEY (operator_id, day)
);

-- One row per write request an operator (or the bootstrap admin) made,
-- refused ones included.
CREATE TABLE audit_log (
  audit_id      bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at            bigint  NOT NULL,
  actor         text    NOT NULL,
  actor_role    text    NOT NULL,
  request_id    text    NOT NULL,
  method        text    NOT NULL,
  -- The route pattern (/v1/admin/freelancers/:id/lots/:lotNo/void) and the path as sent.
  route         text    NOT NULL,
  path          text    NOT NULL,
  freelancer_id text,
  status        integer NOT NULL,
  -- The error code of a refused request (limit_exceeded, forbidden, ...).
  error_code    text,
  -- The ledger entries the request wrote: [{"account":"ada","seq":7}].
  entries       jsonb   NOT NULL DEFAULT '[]'
);

CREATE INDEX audit_log_by_at ON audit_log (at, audit_id);
CREATE INDEX audit_log_by_actor ON audit_log (actor, at, audit_id);
CREATE INDEX audit_log_by_freelancer ON audit_log (freelancer_id, at, audit_id) WHERE freelancer_id IS NOT NULL;

-- Who wrote a row. The server sets connects.actor and connects.actor_role
-- (transaction-local, set_config(..., true)) at the start of every
-- transaction it runs for an operator's request, so every entry, job and
-- promo code that transaction inserts is stamped without the write paths
-- naming the actor; rows written by freelancers or the scheduler keep null.
-- Added without a default first so existing rows stay null without a
-- rewrite; the default applies to new rows only. Entries stay append-only.
ALTER TABLE entries ADD COLUMN actor text;
ALTER TABLE entries ADD COLUMN actor_role text;
ALTER TABLE entries ALTER COLUMN actor SET DEFAULT nullif(current_setting('connects.actor', true), '');
ALTER TABLE entries ALTER COLUMN actor_role SET DEFAULT nullif(current_setting('connects.actor_role', true), '');

ALTER TABLE jobs ADD COLUMN created_by text;
ALTER TABLE jobs ADD COLUMN created_by_role text;
ALTER TABLE jobs ALTER COLUMN created_by SET DEFAULT nullif(current_setting('connects.actor', true), '');
ALTER TABLE jobs ALTER COLUMN created_by_role SET DEFAULT nullif(current_setting('connects.actor_role', true), '');

ALTER TABLE promo_codes ADD COLUMN created_by text;
ALTER TABLE promo_codes ADD COLUMN created_by_role text;
ALTER TABLE promo_codes ALTER COLUMN created_by SET DEFAULT nullif(current_setting('connects.actor', true), '');
ALTER TABLE promo_codes ALTER COLUMN created_by_role SET DEFAULT nullif(current_setting('connects.actor_role', true), '');
