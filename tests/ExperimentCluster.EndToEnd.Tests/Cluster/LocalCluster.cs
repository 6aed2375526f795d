using System.Globalization;
using System.Net;
using ExperimentCluster.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace ExperimentCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// Redis plus silo processes in cluster mode on loopback (or, with <see cref="StartPostgresAsync"/>, silo processes in
/// postgres mode on a test's PostgreSQL server), and an Orleans client in the test process that lists every
/// silo's gateway. Membership timings are fast (a killed silo is declared dead in about 2 s) and sweeps wake their
/// runs every second; EXCL_TEST_DEFAULT_TIMINGS=1 uses the product's defaults instead (to measure failover as
/// deployed). Redis requires a password. Dispose kills every process.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    public const string Password = "test-password";
    public static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    private readonly List<SiloNode> _silos = [];
    private readonly RedisServer? _redis;
    private readonly IReadOnlyDictionary<string, string> _store;
    private IHost? _client;

    private LocalCluster(RedisServer? redis, string serviceId, IReadOnlyDictionary<string, string> store)
    {
        _redis = redis;
        ServiceId = serviceId;
        _store = store;
    }

    /// <summary>The cluster's Redis (owned by the cluster); not for a postgres-mode cluster.</summary>
    public RedisServer Redis => _redis ?? throw new InvalidOperationException("a postgres-mode cluster has no Redis");

    public string ServiceId { get; }

    public IReadOnlyList<SiloNode> Silos => _silos;

    public IGrainFactory Grains => _client!.Services.GetRequiredService<IGrainFactory>();

    public string GatewayList => string.Join(',', _silos.Select(s => $"127.0.0.1:{s.GatewayPort}"));

    /// <summary>Starts Redis (append-only, or with <paramref name="redisArgs"/>) and the silos (all at once, then waits
    /// for each), then the client.</summary>
    public static async Task<LocalCluster> StartAsync(int silos, int slots = 2, IReadOnlyDictionary<string, string>? extra = null, bool connect = true,
        IReadOnlyList<string>? redisArgs = null)
    {
        var redis = await RedisServer.StartAsync(Password, redisArgs);
        var store = new Dictionary<string, string>
        {
            ["Cluster__Mode"] = "cluster",
            ["Cluster__Redis"] = redis.Address,
            ["Cluster__RedisPassword"] = Password,
        };
        return await StartAsync(new LocalCluster(redis, NewServiceId(), store), silos, slots, extra, connect);
    }

    /// <summary>
    /// Silos in postgres mode on a database of their own (created here, empty: the silos create the schema) of a
    /// server the test owns, so that it can kill and restart it; then the client.
    /// </summary>
    public static async Task<LocalCluster> StartPostgresAsync(Postgres.PostgresServer server, int silos, int slots = 2, IReadOnlyDictionary<string, string>? extra = null)
    {
        var serviceId = NewServiceId();
        var database = serviceId.Replace('-', '_');
        await server.CreateDatabaseAsync(database);
        var store = new Dictionary<string, string>
        {
            ["Cluster__Mode"] = "postgres",
            ["Cluster__Postgres"] = server.ConnectionString(database),
            ["Cluster__PostgresPassword"] = Postgres.PostgresServer.Password,
        };
        return await StartAsync(new LocalCluster(null, serviceId, store), silos, slots, extra, connect: true);
    }

    private static string NewServiceId() => "test-" + Guid.NewGuid().ToString("N")[..6];

    private static async Task<LocalCluster> StartAsync(LocalCluster cluster, int silos, int slots, IReadOnlyDictionary<string, string>? extra, bool connect)
    {
        try
        {
            for (var i = 0; i < silos; i++)
                cluster.AddSilo(slots, extra);
            await Task.WhenAll(cluster._silos.Select(s => s.WaitHealthyAsync(Startup)));
            if (connect)
                await cluster.ConnectAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The environment of a test silo: what docker-compose.yml gives a silo, with loopback ports and fast timings.</summary>
    public IReadOnlyDictionary<string, string> SiloEnvironment(int slots, IReadOnlyDictionary<string, string>? extra = null)
    {
        var env = new Dictionary<string, string>
        {
            ["Cluster__ServiceId"] = ServiceId,
            ["Cluster__ClusterId"] = "test",
            ["Cluster__SiloPort"] = Port(),
            ["Cluster__GatewayPort"] = Port(),
            ["Urls"] = $"http://127.0.0.1:{Port()}",
            ["Cluster__Membership__ProbeTimeout"] = "00:00:01",
            ["Cluster__Membership__NumMissedProbesLimit"] = "2",
            ["Cluster__Membership__NumVotesForDeathDeclaration"] = "1",
            ["Cluster__Membership__TableRefreshTimeout"] = "00:00:02",
            ["Experiments__TrainingSlots"] = slots.ToString(CultureInfo.InvariantCulture),
            ["Experiments__WakeInterval"] = "00:00:01",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (System.Environment.GetEnvironmentVariable("EXCL_TEST_DEFAULT_TIMINGS") == "1")
        {
            // To measure failover as deployed: the product's default membership timings and wake interval.
            foreach (var key in env.Keys.Where(k => k.StartsWith("Cluster__Membership__", StringComparison.Ordinal) || k == "Experiments__WakeInterval").ToList())
                env.Remove(key);
        }
        foreach (var (k, v) in _store.Concat(extra ?? new Dictionary<string, string>()))
            env[k] = v;
        return env;
    }

    /// <summary>Starts one more silo (not waiting for it).</summary>
    public SiloNode AddSilo(int slots, IReadOnlyDictionary<string, string>? extra = null)
    {
        var silo = new SiloNode($"silo{_silos.Count}", SiloEnvironment(slots, extra));
        _silos.Add(silo);
        silo.Start();
        return silo;
    }

    public SiloNode AddSilo(string name, IReadOnlyDictionary<string, string> environment)
    {
        var silo = new SiloNode(name, environment);
        _silos.Add(silo);
        silo.Start();
        return silo;
    }

    /// <summary>(Re)connects the test's client to every silo's gateway; a dead gateway in the list is skipped.</summary>
    public async Task ConnectAsync(Action<IClientBuilder>? configure = null)
    {
        if (_client is not null)
        {
            await _client.StopAsync(CancellationToken.None);
            _client.Dispose();
        }
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var gateways = _silos.Select(s => new IPEndPoint(IPAddress.Loopback, s.GatewayPort)).ToArray();
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(gateways);
            client.Configure<ClusterOptions>(o =>
            {
                o.ServiceId = ServiceId;
                o.ClusterId = "test";
            });
            configure?.Invoke(client);
        });
        _client = builder.Build();
        await _client.StartAsync();
    }

    public async Task<SweepView> WaitForSweepAsync(string id, Func<SweepView, bool> done, TimeSpan timeout) =>
        await Waits.ForAsync(
            async () => (await Grains.Sweep(id).GetState().WaitAsync(TimeSpan.FromSeconds(5)))!,
            v => v is not null && done(v), timeout,
            v => $"sweep {id}: {v?.Status} {string.Join(", ", v?.Counts.Select(c => $"{c.Key}={c.Value}") ?? [])}\n{Logs()}");

    public async Task<RunView?[]> RunsAsync(string id, int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(n => Grains.Run(id, n).GetState().WaitAsync(TimeSpan.FromSeconds(5))));

    /// <summary>The tail of every process's output, for failure messages.</summary>
    public string Logs() => string.Join("\n", _silos.Select(s => $"--- {s.Name}:\n{Tail(s.Output)}"));

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            // The cluster is about to be killed; the client need not say goodbye.
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _client.StopAsync(quick.Token);
            }
            catch (OperationCanceledException)
            {
            }
            _client.Dispose();
        }
        foreach (var s in _silos)
            s.Dispose();
        _redis?.Dispose();
    }

    private static string Port() => Programs.FreePort().ToString(CultureInfo.InvariantCulture);

    private static string Tail(string text) => text.Length > 3000 ? text[^3000..] : text;
}
