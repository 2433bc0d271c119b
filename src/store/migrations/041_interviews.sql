-- Interview rewards (SPEC 2.3, 2.9), one row per proposal, keyed by the freelancer.
-- Every interview is recorded, including the ones that earned nothing: the
-- reason says why (the weekly cap, or a free application path).

CREATE TABLE interviews (
  freelancer_id     text    NOT NULL,
  proposal_id       text    NOT NULL,
  job_id            text    NOT NULL,
  at                bigint  NOT NULL,
  -- Connects granted, and the part of the policy's reward that was withheld.
  connects          integer NOT NULL CHECK (connects >= 0),
  withheld_connects integer NOT NULL CHECK (withheld_connects >= 0),
  reason            text    CHECK (reason IN ('weekly_cap', 'invitation', 'offer', 'catalog', 'enterprise')),
  PRIMARY KEY (freelancer_id, proposal_id)
);

-- The rolling-window sum reads the freelancer's recent rewards.
CREATE INDEX interviews_rewarded_by_time ON interviews (freelancer_id, at) WHERE connects > 0;
