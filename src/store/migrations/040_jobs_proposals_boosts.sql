-- Jobs, proposals and the boost auction (SPEC 5.1-5.3, 5.5).
-- Instants are bigint milliseconds since the Unix epoch, UTC (columns *_at);
-- Connects and cents are bigint whole numbers.
--
-- Keying: rows holding a freelancer's spending (proposals) are keyed by the
-- freelancer first, like the ledger. A job and its auction (jobs, boosts,
-- interactions) are the client's data and are keyed by job: every write that
-- touches a job locks that one row first, never a row shared by all jobs.

CREATE TABLE jobs (
  job_id               text    PRIMARY KEY,
  client_id            text    NOT NULL,
  budget_cents         bigint  CHECK (budget_cents >= 0),
  hourly               boolean NOT NULL,
  -- An explicit price set by the poster (wins over the rate card); null for none.
  explicit_connects    integer CHECK (explicit_connects >= 0),
  enterprise           boolean NOT NULL,
  -- The price of a proposal, from the rate card of the policy in force at posting.
  connects_required    integer NOT NULL CHECK (connects_required >= 0),
  policy_id            text    NOT NULL,
  status               text    NOT NULL CHECK (status IN ('open', 'hired', 'cancelled', 'removed')),
  posted_at            bigint  NOT NULL,
  closed_at            bigint,
  hired_proposal_id    text,
  proposal_count       integer NOT NULL DEFAULT 0 CHECK (proposal_count >= 0),
  auction_closes_at    bigint  NOT NULL,
  auction_closed_at    bigint,
  auction_close_reason text    CHECK (auction_close_reason IN ('deadline', 'hire', 'cancel'))
);

-- list-jobs pages through open jobs, newest first.
CREATE INDEX jobs_open_by_posted ON jobs (posted_at DESC, job_id DESC) WHERE status = 'open';
-- The scheduler's work list: auctions past their deadline that nobody closed.
CREATE INDEX jobs_auction_due ON jobs (auction_closes_at) WHERE auction_closed_at IS NULL;

CREATE TABLE proposals (
  freelancer_id  text    NOT NULL,
  proposal_id    text    NOT NULL,
  job_id         text    NOT NULL,
  via            text    NOT NULL CHECK (via IN ('feed', 'invitation', 'offer', 'catalog')),
  -- The freelancer's money bid (rate or fixed amount).
  bid_cents      bigint  NOT NULL CHECK (bid_cents >= 0),
  -- Connects debited at submission, and the lots they came from (for refunds).
  cost_connects  integer NOT NULL CHECK (cost_connects >= 0),
  cost_draws     jsonb   NOT NULL,
  boost_connects integer CHECK (boost_connects >= 1),
  status         text    NOT NULL CHECK (status IN ('active', 'withdrawn', 'hired')),
  submitted_at   bigint  NOT NULL,
  withdrawn_at   bigint,
  refunded_at    bigint,
  PRIMARY KEY (freelancer_id, proposal_id),
  -- One proposal per freelancer and job (SPEC 5.1: duplicates are refused).
  UNIQUE (freelancer_id, job_id)
);

-- Proposal ids are global (the natural idempotency key); a sharded deployment
-- keeps this index as a directory table.
CREATE UNIQUE INDEX proposals_by_id ON proposals (proposal_id);
CREATE INDEX proposals_by_job ON proposals (job_id, submitted_at);

-- One row per boost ever placed: the pure auction's state, plus the hold's draws.
CREATE TABLE boosts (
  job_id        text    NOT NULL,
  proposal_id   text    NOT NULL,
  freelancer_id text    NOT NULL,
  bid_connects  integer NOT NULL CHECK (bid_connects >= 1),
  placed_at     bigint  NOT NULL,
  seq           integer NOT NULL CHECK (seq >= 1),
  status        text    NOT NULL CHECK (status IN ('held', 'charged', 'released')),
  pinned_rank   integer CHECK (pinned_rank >= 0),
  opens         integer NOT NULL DEFAULT 0,
  views         integer NOT NULL DEFAULT 0,
  ended_at      bigint,
  -- The (negative) postings that funded the hold: a charged boost's refund returns them.
  hold_draws    jsonb   NOT NULL,
  settled_at    bigint,
  refunded_at   bigint,
  PRIMARY KEY (job_id, proposal_id),
  UNIQUE (job_id, seq)
);

-- Client interactions with proposals, by the caller's interaction id (idempotency).
CREATE TABLE proposal_interactions (
  job_id           text    NOT NULL,
  interaction_id   text    NOT NULL,
  proposal_id      text    NOT NULL,
  kind             text    NOT NULL,
  at               bigint  NOT NULL,
  charged_connects integer NOT NULL CHECK (charged_connects >= 0),
  PRIMARY KEY (job_id, interaction_id)
);
