-- The policy timeline as data (docs/policy.md). Seeded with the built-in eras
-- on first start (by the service, not here: the eras live in code); from then
-- on every process reads it from this table. Instants are bigint milliseconds
-- since the Unix epoch, UTC.
--
-- A policy in force or past is never updated or deleted: history is judged by
-- the era it happened under. Only a scheduled one (effective_from after the
-- service's time) is replaced or withdrawn (deleted), under the lock of the
-- policy_timeline row.
CREATE TABLE policies (
  id             text   PRIMARY KEY,
  effective_from bigint NOT NULL UNIQUE,
  -- The validated policy document, as the admin API returns it.
  body           jsonb  NOT NULL,
  note           text,
  -- Who scheduled it: 'built-in' for the seeded eras, else the operator or CLI.
  scheduled_by   text   NOT NULL,
  scheduled_at   bigint NOT NULL,
  -- When policy.effective was written for it; NULL until the scheduler passes
  -- effective_from. The seeded eras are stored with it set: they send none.
  announced_at   bigint
);

CREATE INDEX policies_unannounced ON policies (effective_from) WHERE announced_at IS NULL;

-- One row. Every change to policies bumps version in the same transaction;
-- each process polls it (one tiny read, safe behind a transaction pooler,
-- unlike LISTEN) and reloads the timeline when it moved. 0: never seeded.
CREATE TABLE policy_timeline (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version   bigint  NOT NULL
);
INSERT INTO policy_timeline (singleton, version) VALUES (true, 0);
