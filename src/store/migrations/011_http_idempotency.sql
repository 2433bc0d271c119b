-- Responses of HTTP writes sent with an Idempotency-Key (SPEC 1.6), so a retry
-- with the same key and the same request gets the original response back and
-- the same key with another request is refused. Scoped like the ledger: by the
-- freelancer the write acts on ('admin' for operator-wide writes). Only
-- successful responses are kept; the scheduler prunes them after a retention
-- period. Instants are bigint milliseconds since the Unix epoch, UTC.

CREATE TABLE http_idempotency (
  scope        text    NOT NULL,
  key          text    NOT NULL,
  -- SHA-256 of the method, route, path parameters and validated body.
  request_hash text    NOT NULL,
  status       integer NOT NULL CHECK (status BETWEEN 200 AND 299),
  -- The JSON body exactly as first sent (text, so a replay is byte for byte the same).
  body         text    NOT NULL,
  created_at   bigint  NOT NULL,
  PRIMARY KEY (scope, key)
);

CREATE INDEX http_idempotency_by_age ON http_idempotency (created_at);
