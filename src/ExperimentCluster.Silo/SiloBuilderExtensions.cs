using System.Net;
using ExperimentCluster.Grains;
using ExperimentCluster.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Dashboard;

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
        if (settings.Mode == "embedded")
        {
            Directory.CreateDirectory(settings.DataDir);
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort,
                settings.PrimarySiloPort is { } primary && primary != settings.SiloPort ? new IPEndPoint(IPAddress.Loopback, primary) : null,
                settings.ServiceId, settings.ClusterId);
            silo.AddSqliteGrainStorage(StorageNames.Experiments, settings.DatabasePath);
            silo.UseSqliteReminders(settings.DatabasePath);
        }
        else
        {
            throw new ArgumentException("Cluster:Mode: cluster mode needs Cluster:Redis (see deploy/README.md)");
        }
        // Plain JSON state without .NET type names: renaming a class never strands a stored experiment.
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.Services.AddSingleton<TrainingSlots>();
        silo.Services.AddOptions<ExperimentOptions>().BindConfiguration("Experiments");
        if (dashboard)
            silo.AddDashboard(o => o.HideTrace = true);
        return silo;
    }
}
