-- Single sign-on with OpenID Connect (issue 14 item 5): one configuration, row id 1, edited in Settings.
-- client_secret is sealed (lib/crypto/secrets.ts, AAD osprey:sso_configs.client_secret#1).

CREATE TABLE sso_configs (
  id             integer PRIMARY KEY CHECK (id = 1),
  enabled        boolean NOT NULL DEFAULT false,
  name           text NOT NULL,
  issuer         text NOT NULL,
  client_id      text NOT NULL,
  client_secret  text,
  scopes         text NOT NULL DEFAULT 'openid email profile',
  role_claim     text NOT NULL DEFAULT 'groups',
  role_rules     jsonb NOT NULL DEFAULT '[]',
  default_role   text CHECK (default_role IN ('owner', 'admin', 'member', 'viewer')),
  updated_at     timestamptz(3) NOT NULL DEFAULT now()
);
