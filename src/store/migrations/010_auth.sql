-- Freelancer API tokens. Only a SHA-256 hash of each token is stored, so a
-- leaked database does not leak usable credentials; the token itself is
-- shown once, when it is issued. Keyed by freelancer like every other table.
-- Instants are bigint milliseconds since the Unix epoch, UTC.

CREATE TABLE freelancer_tokens (
  freelancer_id text   NOT NULL,
  token_id      text   NOT NULL,
  -- Hex SHA-256 of the whole token string.
  token_hash    text   NOT NULL CHECK (length(token_hash) = 64),
  created_at    bigint NOT NULL,
  revoked_at    bigint CHECK (revoked_at IS NULL OR revoked_at >= created_at),
  PRIMARY KEY (freelancer_id, token_id)
);

-- Every authenticated request looks its token up by hash.
CREATE UNIQUE INDEX freelancer_tokens_by_hash ON freelancer_tokens (token_hash);
