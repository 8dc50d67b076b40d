-- API tokens: only a SHA-256 hash of each secret is stored.
CREATE TABLE api_tokens (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  scopes        jsonb NOT NULL,
  token_hash    text NOT NULL UNIQUE,
  created_by    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz
);

-- Idempotency-Key records: one per (principal, key). A request claims the key
-- in 'in_flight' state; the response is stored when it completes and replayed
-- for retries with the same body until expires_at.
CREATE TABLE idempotency_keys (
  principal         text NOT NULL,
  key               text NOT NULL,
  method            text NOT NULL,
  path              text NOT NULL,
  request_hash      text NOT NULL,
  state             text NOT NULL CHECK (state IN ('in_flight', 'done')),
  locked_at         timestamptz NOT NULL,
  response_status   integer,
  response_headers  jsonb,
  response_body     text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  expires_at        timestamptz NOT NULL,
  PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
