-- The Orleans ADO.NET providers (clustering, persistence, reminders 10.4.2) find every statement they run in this
-- table by key: they read it once at start with a fixed query ("SELECT QueryKey, QueryText FROM OrleansQuery"), so the
-- table's name and its two columns are theirs; everything else in these files is this project's own. The providers
-- bind parameters by name (@DeploymentId, ...) and read results by column name, case-insensitively.
CREATE TABLE OrleansQuery
(
    QueryKey  varchar(64) PRIMARY KEY,
    QueryText text NOT NULL
);
