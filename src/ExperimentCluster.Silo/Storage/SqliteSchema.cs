namespace ExperimentCluster.Silo.Storage;

/// <summary>The tables of the embedded-mode database file: grain state, reminders, run checkpoints and trajectories live side by side.</summary>
internal static class SqliteSchema
{
    /// <summary>Stored in <c>PRAGMA user_version</c>, so that a later layout can migrate, and an older build refuses a newer file.
    /// Version 2 added the checkpoints and trajectories tables (created when missing, so a version 1 file simply gains it).</summary>
    public const int Version = 2;

    // grain_state.version is the etag. A cleared record keeps its row (payload NULL) and its version keeps counting,
    // so an etag is never reused: a stale writer holding an etag from before a clear can never match again.
    // reminders.etag is an AUTOINCREMENT key and upserts replace the row, for the same reason: SQLite never hands
    // out an AUTOINCREMENT value twice, even after the row holding it is deleted.
    public const string CreateTables = """
        CREATE TABLE IF NOT EXISTS grain_state (
            grain_id   TEXT    NOT NULL,
            state_name TEXT    NOT NULL,
            version    INTEGER NOT NULL,
            payload    TEXT,
            PRIMARY KEY (grain_id, state_name)
        );
        CREATE TABLE IF NOT EXISTS reminders (
            etag          INTEGER PRIMARY KEY AUTOINCREMENT,
            grain_id      TEXT    NOT NULL,
            reminder_name TEXT    NOT NULL,
            grain_hash    INTEGER NOT NULL,
            start_at      TEXT    NOT NULL,
            period_ticks  INTEGER NOT NULL,
            UNIQUE (grain_id, reminder_name)
        );
        CREATE INDEX IF NOT EXISTS reminders_by_grain_hash ON reminders (grain_hash);
        CREATE TABLE IF NOT EXISTS checkpoints (
            sweep_id TEXT    NOT NULL,
            run      INTEGER NOT NULL,
            name     TEXT    NOT NULL,
            bytes    BLOB    NOT NULL,
            PRIMARY KEY (sweep_id, run, name)
        );
        CREATE TABLE IF NOT EXISTS trajectories (
            sweep_id TEXT    NOT NULL,
            run      INTEGER NOT NULL,
            attempt  INTEGER NOT NULL,
            idx      INTEGER NOT NULL,
            record   TEXT    NOT NULL,
            PRIMARY KEY (sweep_id, run, attempt, idx)
        );
        """;
}
