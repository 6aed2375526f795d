-- Run trajectories (PostgresTrajectoryStore): one row per epoch of a run attempt, written once; a run's grain state holds
-- only how many of them count. Reading a curve is one range scan of the key.
CREATE TABLE excl_trajectories
(
    sweep_id text    NOT NULL,
    run      integer NOT NULL,
    attempt  integer NOT NULL,
    idx      integer NOT NULL,
    record   text    NOT NULL,
    PRIMARY KEY (sweep_id, run, attempt, idx)
);
