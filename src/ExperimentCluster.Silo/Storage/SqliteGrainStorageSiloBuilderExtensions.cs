using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration.Internal;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace ExperimentCluster.Silo.Storage;

/// <summary>Registers SQLite grain storage on a silo.</summary>
public static class SqliteGrainStorageSiloBuilderExtensions
{
    /// <summary>
    /// Adds grain storage named <paramref name="name"/> on the SQLite file <paramref name="databasePath"/>
    /// (created with its folder when missing). Several storages and the reminder table may share one file.
    /// </summary>
    public static ISiloBuilder AddSqliteStorage(this ISiloBuilder builder, string name, string databasePath) =>
        builder.AddSqliteStorage(name, options => options.DatabasePath = databasePath);

    /// <summary>Adds grain storage named <paramref name="name"/> on a SQLite file, with every setting.</summary>
    public static ISiloBuilder AddSqliteStorage(this ISiloBuilder builder, string name, Action<SqliteStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        var services = builder.Services;
        services.AddOptions<SqliteStorageOptions>(name).Configure(configure);

        // Fills GrainStorageSerializer from the silo's serializer (UseSystemTextJsonGrainStorageSerializer) when unset.
        services.TryAddEnumerable(ServiceDescriptor.Transient<IPostConfigureOptions<SqliteStorageOptions>,
            DefaultStorageProviderSerializerOptionsConfigurator<SqliteStorageOptions>>());
        services.AddTransient<IConfigurationValidator>(sp =>
            new SqliteStorageOptionsValidator(sp.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(name), name));
        services.AddGrainStorage(name, static (sp, storageName) => new SqliteGrainStorage(
            storageName,
            sp.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(storageName),
            sp.GetRequiredService<IActivatorProvider>(),
            sp.GetRequiredService<ILogger<SqliteGrainStorage>>()));
        return builder;
    }
}
