-- Where jobs run. `spec` holds the validated target body (src/domain/target.ts).
CREATE TABLE targets (
  name        text PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('session', 'yarn')),
  spec        jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Uploaded jars, content-addressed: one row per SHA-256.
CREATE TABLE artifacts (
  id          text PRIMARY KEY,
  sha256      text NOT NULL UNIQUE,
  file_name   text NOT NULL,
  size_bytes  bigint NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Jar ids a session cluster gave an artifact, so it is uploaded once per (cluster, hash).
CREATE TABLE session_jars (
  target       text NOT NULL REFERENCES targets (name) ON DELETE CASCADE,
  sha256       text NOT NULL,
  jar_id       text NOT NULL,
  uploaded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (target, sha256)
);

-- Job definitions are versioned: every change adds a row to job_versions.
CREATE TABLE jobs (
  name            text PRIMARY KEY,
  latest_version  integer NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz
);

CREATE TABLE job_versions (
  job_name    text NOT NULL REFERENCES jobs (name),
  version     integer NOT NULL,
  spec        jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job_name, version)
);

-- One submission of a job and its whole life.
CREATE TABLE runs (
  id                    text PRIMARY KEY,
  job_name              text,
  job_version           integer,
  target                text NOT NULL,
  mode                  text NOT NULL CHECK (mode IN ('session', 'per-job', 'application')),
  spec                  jsonb NOT NULL,
  state                 text NOT NULL,
  flink_state           text,
  flink_job_id          text NOT NULL UNIQUE,
  yarn_tag              text,
  yarn_application_id   text,
  yarn_state            text,
  yarn_final_status     text,
  yarn_diagnostics      text,
  yarn_am_address       text,
  jar_id                text,
  final_state_source    text,
  restarts              integer NOT NULL DEFAULT 0,
  last_savepoint        text,
  last_checkpoint       jsonb,
  failure_cause         text,
  callback_url          text,
  labels                jsonb NOT NULL DEFAULT '{}',
  plan                  jsonb,
  created_at            timestamptz NOT NULL DEFAULT now(),
  submitted_at          timestamptz,
  started_at            timestamptz,
  ended_at              timestamptz,
  updated_at            timestamptz NOT NULL DEFAULT now(),
  unseen_since          timestamptz,
  -- The replica submitting (or re-checking) this run, until when: a claim
  -- that expires because its replica died lets another one take over.
  claimed_by            text,
  claimed_until         timestamptz,
  FOREIGN KEY (job_name, job_version) REFERENCES job_versions (job_name, version)
);
CREATE INDEX runs_by_state ON runs (state, id);
CREATE INDEX runs_by_job ON runs (job_name, id);
CREATE INDEX runs_by_target ON runs (target, id);
CREATE INDEX runs_labels ON runs USING gin (labels jsonb_path_ops);
CREATE INDEX runs_active ON runs (target) WHERE state NOT IN ('FINISHED', 'FAILED', 'CANCELED');
CREATE INDEX runs_unsubmitted ON runs (claimed_until) WHERE state IN ('PENDING', 'SUBMITTING');
CREATE UNIQUE INDEX runs_yarn_application ON runs (yarn_application_id) WHERE yarn_application_id IS NOT NULL;

-- Asynchronous actions on a run (savepoint, stop-with-savepoint, cancel).
CREATE TABLE operations (
  id                text PRIMARY KEY,
  run_id            text NOT NULL REFERENCES runs (id),
  kind              text NOT NULL CHECK (kind IN ('savepoint', 'stop', 'cancel')),
  state             text NOT NULL CHECK (state IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
  target_directory  text,
  drain             boolean NOT NULL DEFAULT false,
  trigger_id        text,
  location          text,
  failure_cause     text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  ended_at          timestamptz
);
CREATE INDEX operations_by_run ON operations (run_id, id);
CREATE INDEX operations_open ON operations (state) WHERE state IN ('PENDING', 'RUNNING');

-- The append-only, totally ordered event log: written in the same transaction
-- as the change it records.
CREATE TABLE events (
  seq         bigserial PRIMARY KEY,
  id          text NOT NULL UNIQUE,
  type        text NOT NULL,
  run_id      text,
  data        jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_by_run ON events (run_id, seq) WHERE run_id IS NOT NULL;
CREATE INDEX events_by_type ON events (type, seq);
