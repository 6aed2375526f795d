using System.Net;
using System.Text.Json.Serialization;
using ExperimentCluster.Grains;
using ExperimentCluster.Grains.Code;
using ExperimentCluster.Silo.Checkpoints;
using ExperimentCluster.Grains.Placement;
using ExperimentCluster.Silo.Gateway;
using ExperimentCluster.Silo.Storage;
using ExperimentCluster.Training.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Serialization;

namespace ExperimentCluster.Silo;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// Clustering, storage, reminders and the grains' services for one silo, as the settings say. <paramref name="token"/>
    /// is the cluster's token (Http:Token): with it every grain call must carry it; without it the gateway must be on loopback.
    /// </summary>
    public static ISiloBuilder AddExperimentCluster(this ISiloBuilder silo, SiloSettings settings, bool dashboard, string? token)
    {
        settings.Validate();
        silo.Services.AddSingleton(_ => SiloReach.Of(settings));
        silo.AddGatewayToken(settings, token);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = settings.ServiceId;
            o.ClusterId = settings.ClusterId;
        });
        if (settings.IsPostgres)
        {
            silo.AddPostgresCluster(settings);
        }
        else if (settings.IsCluster)
        {
            silo.AddRedisCluster(settings);
        }
        else
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort,
                settings.PrimarySiloPort is { } primary && primary != settings.SiloPort ? new IPEndPoint(IPAddress.Loopback, primary) : null,
                settings.ServiceId, settings.ClusterId);
            silo.AddEmbeddedStorage(settings.DatabasePath);
        }
        if (settings.Tls.Enabled)
        {
            var certificate = settings.Tls.LoadCertificate();
            silo.UseTls(certificate, o => ClusterTls.Configure(o, certificate));
        }
        silo.AddExperimentGrains();
        // Without configured roots a silo reads data files only from its data folder's datasets/ (PostConfigure: after the
        // configuration is bound, so that configured roots replace the default rather than add to it). Uploaded code is
        // unpacked into the data folder's code/ unless configured elsewhere.
        silo.Services.PostConfigure<ExperimentOptions>(o =>
        {
            if (o.DataRoots.Count == 0)
                o.DataRoots.Add(Path.Combine(settings.DataDir, "datasets"));
            if (o.Commands.RunsFolder.Length == 0)
                o.Commands.RunsFolder = Path.Combine(settings.DataDir, "trials");
            if (string.IsNullOrWhiteSpace(o.CodeCacheFolder))
                o.CodeCacheFolder = Path.Combine(settings.DataDir, "code");
        });
        if (dashboard)
            silo.AddDashboard(o => o.HideTrace = true);
        return silo;
    }

    /// <summary>Membership, grain state, checkpoints and reminders in Redis; endpoints and failure detection as configured.</summary>
    public static ISiloBuilder AddRedisCluster(this ISiloBuilder silo, SiloSettings settings)
    {
        var redis = RedisConnection.Parse(settings.Redis!, settings.RedisPassword);
        silo.ConfigureClusterEndpointsAndMembership(settings);
        silo.UseRedisClustering(o => o.ConfigurationOptions = redis);
        // A cleared state (a deleted sweep's) is removed, key and all; a stale writer's etag still finds no match.
        silo.AddRedisGrainStorage(StorageNames.Experiments, o =>
        {
            o.ConfigurationOptions = redis;
            o.DeleteStateOnClear = true;
        });
        silo.AddRedisCheckpoints(redis);
        silo.UseRedisReminderService(o => o.ConfigurationOptions = redis);
        return silo;
    }

    /// <summary>A multi-machine silo (Redis or PostgreSQL): where it listens and advertises, and how fast a dead peer is noticed.</summary>
    public static ISiloBuilder ConfigureClusterEndpointsAndMembership(this ISiloBuilder silo, SiloSettings settings)
    {
        silo.ConfigureEndpoints(settings.ResolveAdvertisedAddress(), settings.SiloPort, settings.GatewayPort, settings.ListenOnAnyAddress);
        var membership = settings.Membership;
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = membership.ProbeTimeout;
            o.NumMissedProbesLimit = membership.NumMissedProbesLimit;
            o.NumVotesForDeathDeclaration = membership.NumVotesForDeathDeclaration;
            o.TableRefreshTimeout = membership.TableRefreshTimeout;
        });
        // With the store (Redis, PostgreSQL) down, leaving the cluster cannot be recorded; a bounded stop beats a hung one (orleans-notes §8.9).
        silo.Services.Configure<HostOptions>(o => o.ShutdownTimeout = membership.ShutdownTimeout);
        return silo;
    }

    /// <summary>Grain state, checkpoints and reminders in one SQLite file (created with its folder if missing).</summary>
    public static ISiloBuilder AddEmbeddedStorage(this ISiloBuilder silo, string databasePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        silo.AddSqliteStorage(StorageNames.Experiments, databasePath);
        silo.AddSqliteCheckpoints(databasePath);
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
        silo.Services.AddSingleton<GpuPool>();
        silo.Services.AddSingleton<CommandTrialRunner>();
        silo.Services.AddSingleton<CodeCache>();
        silo.Services.AddOptions<ExperimentOptions>().BindConfiguration("Experiments")
            .Validate(o => o.MaxDataFileBytes > 0, "Experiments:MaxDataFileBytes: must be 1 or more")
            .Validate(o => o.MaxCodeBytes is > 0 and <= 96L << 20, "Experiments:MaxCodeBytes: must be from 1 to 100663296 (96 MiB): an archive travels in one grain message, at most 100 MB");
        // The one rule for data files on this silo, fixed at start: the sweep check and every trainer read through it.
        silo.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ExperimentOptions>>().Value;
            return new DataFiles(o.DataRoots, o.MaxDataFileBytes);
        });
        silo.AddFreeSlotPlacement();
        return silo;
    }
}
