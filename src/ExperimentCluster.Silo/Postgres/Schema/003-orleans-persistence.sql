-- Grain state: one row per grain, its state as the silo's JSON serializer wrote it (PayloadBinary), and a version that
-- is the grain's ETag. A write names the version it read; a write from a stale copy (or a second activation) matches
-- nothing and the provider raises InconsistentStateException.
CREATE TABLE OrleansStorage
(
    GrainIdHash            integer NOT NULL,
    GrainIdN0              bigint NOT NULL,
    GrainIdN1              bigint NOT NULL,
    GrainTypeHash          integer NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512),
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea,
    ModifiedOn             timestamptz NOT NULL,
    Version                integer NOT NULL
);

-- One row per grain (a missing extension counts as ''), which also makes two first writes race safely: one inserts,
-- the other meets the conflict and reports no version.
CREATE UNIQUE INDEX OrleansStorage_Grain ON OrleansStorage
    (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId, GrainTypeString, (coalesce(GrainIdExtensionString, '')));

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $q$
    SELECT PayloadBinary, Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
      AND coalesce(GrainIdExtensionString, '') = coalesce(CAST(@GrainIdExtensionString AS varchar), '')
$q$),
-- With a version: replace the row of that version. Without one (never stored): insert version 1 unless a row exists.
-- NewGrainStateVersion is null when neither happened (a conflict).
('WriteToStorageKey', $q$
    WITH updated AS (
        UPDATE OrleansStorage
        SET PayloadBinary = @PayloadBinary, ModifiedOn = now(), Version = Version + 1
        WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
          AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
          AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
          AND coalesce(GrainIdExtensionString, '') = coalesce(CAST(@GrainIdExtensionString AS varchar), '')
          AND Version = CAST(@GrainStateVersion AS integer)
        RETURNING Version),
    inserted AS (
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId,
             PayloadBinary, ModifiedOn, Version)
        SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, CAST(@GrainIdExtensionString AS varchar),
               @ServiceId, @PayloadBinary, now(), 1
        WHERE CAST(@GrainStateVersion AS integer) IS NULL
        ON CONFLICT DO NOTHING
        RETURNING Version)
    SELECT (SELECT Version FROM updated UNION ALL SELECT Version FROM inserted LIMIT 1) AS NewGrainStateVersion
$q$),
-- Clearing keeps the row (and its version, bumped) with no state, so that a stale writer still conflicts.
('ClearStorageKey', $q$
    UPDATE OrleansStorage
    SET PayloadBinary = NULL, ModifiedOn = now(), Version = Version + 1
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
      AND coalesce(GrainIdExtensionString, '') = coalesce(CAST(@GrainIdExtensionString AS varchar), '')
      AND Version = CAST(@GrainStateVersion AS integer)
    RETURNING Version AS NewGrainStateVersion
$q$);
