using System.Net;
using System.Text.Json.Serialization;
using ExperimentCluster.Grains;
using ExperimentCluster.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Serialization;

namespace ExperimentCluster.Silo;

public static class SiloBuilderExtensions
{
    /// <summary>Clustering, storage, reminders and the grains' services for one silo, as the settings say.</summary>
    public static ISiloBuilder AddExperimentCluster(this ISiloBuilder silo, SiloSettings settings, bool dashboard)
    {
        settings.Validate();
        silo.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = settings.ServiceId;
            o.ClusterId = settings.ClusterId;
        });
        if (settings.Mode != "embedded")
            throw new ArgumentException("Cluster:Mode: cluster mode needs Cluster:Redis (see deploy/README.md)");
        silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort,
            settings.PrimarySiloPort is { } primary && primary != settings.SiloPort ? new IPEndPoint(IPAddress.Loopback, primary) : null,
            settings.ServiceId, settings.ClusterId);
        silo.AddEmbeddedStorage(settings.DatabasePath);
        silo.AddExperimentGrains();
        if (dashboard)
            silo.AddDashboard(o => o.HideTrace = true);
        return silo;
    }

    /// <summary>Grain state and reminders in one SQLite file (created with its folder if missing).</summary>
    public static ISiloBuilder AddEmbeddedStorage(this ISiloBuilder silo, string databasePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        silo.AddSqliteStorage(StorageNames.Experiments, databasePath);
        silo.UseSqliteReminders(databasePath);
        return silo;
    }

    /// <summary>What the run and sweep grains need on every silo, whatever the storage.</summary>
    public static ISiloBuilder AddExperimentGrains(this ISiloBuilder silo)
    {
        // Plain JSON state without .NET type names: renaming a class never strands a stored experiment.
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.Services.Configure<SystemTextJsonGrainStorageSerializerOptions>(o =>
        {
            // A diverged run's losses can be NaN or infinite; statuses are stored by name, readable and reorder-proof.
            o.JsonSerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
            o.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        silo.Services.AddSingleton<TrainingSlots>();
        silo.Services.AddOptions<ExperimentOptions>().BindConfiguration("Experiments");
        return silo;
    }
}
