-- Secrets at rest (issue 14): existing plaintext secrets (channels.secrets, accounts.external_id) are
-- encrypted by a startup step (lib/db/secrets-at-rest.ts), as SQL has no access to the key.

-- One Firehose key per account, kept as a SHA-256 verifier: the key itself is shown once and never stored.
CREATE TABLE account_firehose_keys (
  account_id  integer PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  key_hash    bytea NOT NULL,
  hint        text NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now()
);

-- Who changed what, and when. Targets are named, not referenced: an entry outlives what it names.
CREATE TABLE audit_events (
  id           bigserial PRIMARY KEY,
  at           timestamptz(3) NOT NULL DEFAULT now(),
  actor        text NOT NULL,
  action       text NOT NULL,
  target_kind  text NOT NULL,
  target_id    text,
  target_name  text,
  detail       jsonb,
  ip           text
);
CREATE INDEX audit_events_at_idx ON audit_events (at DESC, id DESC);
CREATE INDEX audit_events_action_idx ON audit_events (action, at DESC);
CREATE INDEX audit_events_target_idx ON audit_events (target_kind, target_id, at DESC);
