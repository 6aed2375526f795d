-- Run checkpoints (PostgresCheckpointStore): written once each, under a name never reused; a run's grain state holds only
-- the key of its latest one. Rows of a run go together when the run's older checkpoints are dropped.
CREATE TABLE excl_checkpoints
(
    sweep_id text    NOT NULL,
    run      integer NOT NULL,
    name     text    NOT NULL,
    bytes    bytea   NOT NULL,
    PRIMARY KEY (sweep_id, run, name)
);
