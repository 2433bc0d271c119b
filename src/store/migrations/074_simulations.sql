-- Simulations of a candidate policy (src/sim): what was asked, how far the run got, and its result.
-- Nothing here touches the ledger; a simulation only reads live accounts (snapshot population).
CREATE TABLE simulations (
  id               text    PRIMARY KEY,
  status           text    NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  -- The request as validated: {candidate, months, population, seed}.
  input            jsonb   NOT NULL,
  -- Freelancers played so far, of how many (both runs each).
  progress_done    integer NOT NULL DEFAULT 0 CHECK (progress_done >= 0),
  progress_total   integer NOT NULL DEFAULT 0 CHECK (progress_total >= 0),
  -- The result as the simulator wrote it (JSON text, so its key order and bytes are kept).
  result           text,
  error            text,
  cancel_requested boolean NOT NULL DEFAULT false,
  created_by       text,
  created_at       bigint  NOT NULL,
  started_at       bigint,
  finished_at      bigint
);

CREATE INDEX simulations_by_created ON simulations (created_at DESC, id DESC);
