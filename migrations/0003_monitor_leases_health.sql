-- Which gateway replica reconciles which target, until when. A replica renews
-- its leases every tick; a dead replica's leases expire and are taken over.
CREATE TABLE target_leases (
  target      text PRIMARY KEY,
  holder      text NOT NULL,
  expires_at  timestamptz NOT NULL
);

-- What the monitor knows about reaching each target: transport errors are
-- counted here, never turned into run states.
CREATE TABLE target_health (
  target                text PRIMARY KEY,
  consecutive_failures  integer NOT NULL DEFAULT 0,
  error_count           bigint NOT NULL DEFAULT 0,
  last_error            text,
  last_error_at         timestamptz,
  last_success_at       timestamptz,
  updated_at            timestamptz NOT NULL DEFAULT now()
);
