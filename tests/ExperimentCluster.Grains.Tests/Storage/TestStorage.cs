using ExperimentCluster.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace ExperimentCluster.Grains.Tests.Storage;

/// <summary>Builds the storage and the reminder table directly, without a silo, the way the silo would.</summary>
internal static class TestStorage
{
    private static readonly IActivatorProvider Activators =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<IActivatorProvider>();

    public static IGrainStorageSerializer Json { get; } =
        new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions()));

    public static SqliteGrainStorage Storage(string path, SqliteSynchronous synchronous = SqliteSynchronous.Normal) =>
        new("store", new SqliteStorageOptions { DatabasePath = path, Synchronous = synchronous, GrainStorageSerializer = Json },
            Activators, NullLogger<SqliteGrainStorage>.Instance);

    public static SqliteReminderTable Reminders(string path) =>
        new(Options.Create(new SqliteReminderTableOptions { DatabasePath = path }), NullLogger<SqliteReminderTable>.Instance);
}
