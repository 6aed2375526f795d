namespace ExperimentCluster.Silo.Storage;

/// <summary>Stops the silo at start, with the storage's name, when a SQLite grain storage has no file.</summary>
internal sealed class SqliteStorageOptionsValidator(SqliteStorageOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            throw new OrleansConfigurationException(
                $"SQLite grain storage '{name}': {nameof(SqliteStorageOptions.DatabasePath)} is required.");
        }
    }
}
