-- API tokens (issue 14): personal, scoped, kept as a SHA-256 of the token text (shown once, never stored).
CREATE TABLE api_tokens (
  id            serial PRIMARY KEY,
  user_id       text NOT NULL REFERENCES users(id) ON DELETE CASCADE ON UPDATE CASCADE,
  name          text NOT NULL,
  scope         text NOT NULL CHECK (scope IN ('read', 'write')),
  prefix        text NOT NULL,
  token_hash    bytea NOT NULL,
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  last_used_at  timestamptz(3),
  expires_at    timestamptz(3),
  revoked_at    timestamptz(3)
);
CREATE UNIQUE INDEX api_tokens_prefix_key ON api_tokens (prefix);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);
