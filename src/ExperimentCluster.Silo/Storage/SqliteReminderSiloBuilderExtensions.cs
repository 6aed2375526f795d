using Microsoft.Extensions.DependencyInjection;

namespace ExperimentCluster.Silo.Storage;

/// <summary>Registers the SQLite reminder table on a silo.</summary>
public static class SqliteReminderSiloBuilderExtensions
{
    /// <summary>
    /// Turns reminders on, stored in the SQLite file <paramref name="databasePath"/> (created with its folder when
    /// missing), so that they survive a restart. The file may be the one the grain storage uses.
    /// </summary>
    public static ISiloBuilder UseSqliteReminders(this ISiloBuilder builder, string databasePath) =>
        builder.UseSqliteReminders(options => options.DatabasePath = databasePath);

    /// <summary>Turns reminders on, stored in a SQLite file, with every setting.</summary>
    public static ISiloBuilder UseSqliteReminders(this ISiloBuilder builder, Action<SqliteReminderTableOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        var services = builder.Services;
        services.AddReminders();
        services.AddSingleton<IReminderTable, SqliteReminderTable>();
        services.Configure(configure);
        services.AddSingleton<IConfigurationValidator, SqliteReminderTableOptionsValidator>();
        return builder;
    }
}
