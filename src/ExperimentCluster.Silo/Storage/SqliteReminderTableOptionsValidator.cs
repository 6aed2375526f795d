using Microsoft.Extensions.Options;

namespace ExperimentCluster.Silo.Storage;

/// <summary>Stops the silo at start when the SQLite reminder table has no file.</summary>
internal sealed class SqliteReminderTableOptionsValidator(IOptions<SqliteReminderTableOptions> options) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        if (string.IsNullOrWhiteSpace(options.Value.DatabasePath))
        {
            throw new OrleansConfigurationException(
                $"SQLite reminder table: {nameof(SqliteReminderTableOptions.DatabasePath)} is required.");
        }
    }
}
