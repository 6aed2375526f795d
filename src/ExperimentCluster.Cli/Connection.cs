using System.Net;
using System.Net.Sockets;
using ExperimentCluster.Grains;
using ExperimentCluster.Silo;
using ExperimentCluster.Silo.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace ExperimentCluster.Cli;

/// <summary>
/// Where a command talks to: a running cluster (`--gateway host:port,...`, or `--redis` / `--postgres` to find its
/// gateways in the membership table; `--tls-cert` for a cluster with TLS), or, by default, the data folder (`--data-dir`, default .excl):
/// a silo embedded in this process with its state in a SQLite file there, or, while another excl process trains in the
/// folder, that process's silo through its gateway.
/// </summary>
public sealed class Connection : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly FileStream? _lock;
    private readonly string? _gatewayFile;

    private Connection(IHost host, FileStream? @lock, string where, bool embedded, string options, string? gatewayFile)
    {
        _gatewayFile = gatewayFile;
        Embedded = embedded;
        _host = host;
        _lock = @lock;
        Where = where;
        Options = options;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The embedded silo's services (the benchmarks read its training slots).</summary>
    public IServiceProvider Services => _host.Services;

    public string Where { get; }

    /// <summary>The options that reach the same sweeps again (`--data-dir d`, `--gateway a:1,b:2`), for a printed command.</summary>
    public string Options { get; }

    /// <summary>`excl WORDS` with <see cref="Options"/>: a command to print that reaches the same sweeps (`excl resume s1 --data-dir d`).</summary>
    public string CommandLine(string words) => $"excl {words}{(Options.Length > 0 ? " " + Options : "")}";

    /// <summary>`excl resume ID` with <see cref="Options"/>: the way on that pause, an interrupt and a stalled sweep print.</summary>
    public string ResumeCommand(string id) => CommandLine("resume " + id);

    /// <summary>With `--http`: where this process's silo serves the experiments page (and the dashboard under /dashboard/).</summary>
    public string? PageAddress { get; private init; }

    /// <summary>Talks to the silo of the excl process training in the data folder, which ends when that process does.</summary>
    public bool ThroughTrainer { get; private init; }

    /// <summary>A client of a cluster (--gateway, --redis, --postgres), rather than of a data folder.</summary>
    public bool IsCluster { get; private init; }

    /// <summary>A silo in this process over a data folder, rather than a client of a cluster or of the excl process training in the folder.</summary>
    public bool Embedded { get; }

    /// <summary>
    /// Opens the connection. `trains` is for run, resume and retry: an embedded silo then trains and wakes runs, and
    /// holds the data folder's lock so that two processes never train the same sweep.
    /// </summary>
    public static async Task<Connection> OpenAsync(ConnectionSettings settings, bool trains, CancellationToken cancellationToken)
    {
        var (gateway, redis, dataDir, serviceId, clusterId, slots) = (settings.Gateway, settings.Redis, settings.DataDir, settings.ServiceId, settings.ClusterId, settings.Slots);
        var redisPassword = settings.RedisPassword ?? Environment.GetEnvironmentVariable("EXCL_REDIS_PASSWORD");
        var postgres = settings.Postgres;
        var postgresPassword = settings.PostgresPassword ?? Environment.GetEnvironmentVariable("EXCL_POSTGRES_PASSWORD");
        var tlsCertificate = settings.TlsCertificate;
        var tlsPassword = settings.TlsPassword ?? Environment.GetEnvironmentVariable("EXCL_TLS_PASSWORD");
        // From the environment, so that it stays out of shell history and process lists; a data folder's silo needs none.
        var token = settings.Token ?? Environment.GetEnvironmentVariable("EXCL_TOKEN");
        var http = settings.Http is { } listen ? (listen.Contains("://", StringComparison.Ordinal) ? listen : "http://" + listen).TrimEnd('/') : null;
        if (http is not null && (!trains || settings.IsCluster))
            throw new CliException("--http: only for run, resume and retry on a data folder (a cluster's silos serve the page themselves)");
        if (slots is not null && settings.IsCluster)
            throw new CliException("--slots: only for a data folder (a cluster's silos train with their own Experiments:TrainingSlots)");
        if (new[] { gateway, redis, postgres }.Count(w => w is not null) > 1)
            throw new CliException("--gateway, --redis and --postgres: give one way to find the cluster, not several");
        if (postgres is not null)
            Parse(() => ExperimentCluster.Silo.Postgres.PostgresConnection.Parse(postgres, "--postgres"));
        if (tlsCertificate is not null && !settings.IsCluster)
            throw new CliException("--tls-cert: only for a cluster (--gateway, --redis or --postgres)");
        if (settings.Token is not null && !settings.IsCluster)
            throw new CliException("--token: only for a cluster (--gateway, --redis or --postgres); a data folder's silo is on loopback and needs none");
        if (settings.Token is { Length: 0 })
            throw new CliException("--token: must not be empty");
        if (settings.IsCluster)
        {
            // Never the connection string itself: it may hold the password.
            var where = gateway is not null ? "--gateway " + gateway
                : redis is not null ? "--redis " + RedisConnection.WithoutPassword(redis)
                : "--postgres " + ExperimentCluster.Silo.Postgres.PostgresConnection.Describe(postgres!);
            var discover = postgres is not null ? (postgres, postgresPassword) : ((string, string?)?)null;
            var host = await StartClientAsync(gateway, redis, redisPassword, serviceId, clusterId, tlsCertificate, tlsPassword, token, where, cancellationToken, discover);
            return new Connection(host, null, "cluster " + where, embedded: false, settings.PrintedOptions(), gatewayFile: null) { IsCluster = true };
        }

        CreateDataFolder(dataDir);
        var lockFile = DataFolderLock.TryTake(dataDir);
        if (lockFile is null && trains)
            throw new CliException($"--data-dir: another process (an excl run or resume, or a silo) is training in {dataDir}; wait for it, or stop it first");
        if (lockFile is null)
        {
            // That process's silo holds the live state: talk to it through its gateway rather than read the file. It
            // may also be just starting (no note yet) or just ending (note gone, lock not yet): then wait for one or the other.
            var (address, freed) = await GatewayOrLockAsync(dataDir, cancellationToken);
            if (address is not null)
            {
                // A silo started on the folder may want the cluster's token (EXCL_TOKEN); an excl process's asks for none.
                var host = await StartClientAsync(address, null, null, serviceId, clusterId, null, null, token, $"--data-dir {dataDir}", cancellationToken);
                return new Connection(host, null, $"data folder {Path.GetFullPath(dataDir)} (through the process training there)", embedded: false, settings.PrintedOptions(), gatewayFile: null)
                {
                    ThroughTrainer = true,
                };
            }
            lockFile = freed ?? throw new InvalidOperationException("no gateway and no lock");
        }
        if (!trains)
        {
            // Only a probe: a command that only reads must not keep a later `excl run` from starting.
            await lockFile.DisposeAsync();
            lockFile = null;
        }
        var siloSettings = new SiloSettings
        {
            Mode = "embedded",
            DataDir = dataDir,
            ServiceId = serviceId,
            ClusterId = clusterId,
            SiloPort = FreePort(),
            GatewayPort = FreePort(),
        };
        void Configure(ISiloBuilder silo, bool dashboard)
        {
            // Its gateway is on loopback (localhost clustering): only this machine's users reach it, so it needs no token.
            silo.AddExperimentCluster(siloSettings, dashboard, token: null);
            // After AddExperimentCluster's default (PostConfigure runs in order), so these add to the roots, not replace them.
            // A command that only answers adds none unless it reads data (excl model fits the scaling again).
            silo.Services.PostConfigure<ExperimentOptions>(o => o.DataRoots.AddRange(settings.DataRoots));
            silo.Services.Configure<ExperimentOptions>(o =>
            {
                o.AutoResume = trains;
                // The user's own machine, on loopback: the programs their sweep files name run here as they would by hand.
                o.Commands.Allow = trains;
                if (slots is { } n)
                    o.TrainingSlots = n > 0 ? n : throw new CliException("--slots: must be 1 or more");
            });
        }
        IHost silo;
        if (http is null)
        {
            var siloBuilder = Host.CreateApplicationBuilder();
            // A run's failure reaches the user as its status and reason; the console stays for the command's own output.
            siloBuilder.Logging.ClearProviders();
            siloBuilder.UseOrleans(s => Configure(s, dashboard: false));
            silo = siloBuilder.Build();
        }
        else
        {
            // The silo host's own web side: the experiments page, the API and the Orleans dashboard, on this address.
            var web = WebApplication.CreateBuilder();
            web.Logging.ClearProviders();
            web.WebHost.UseUrls(http);
            web.UseOrleans(s => Configure(s, dashboard: true));
            web.AddExperimentWeb();
            var app = web.Build();
            app.MapExperimentEndpoints();
            silo = app;
        }
        try
        {
            await silo.StartAsync(cancellationToken);
        }
        catch (IOException e) when (http is not null)
        {
            // Kestrel's bind failure ("address already in use"): the page's address is the user's to change.
            silo.Dispose();
            lockFile?.Dispose();
            throw new CliException($"--http: cannot listen on {http}: {e.Message.Split('\n')[0]}");
        }
        string? gatewayFile = null;
        if (lockFile is not null)
        {
            // Other excl commands on this folder (watch, show, cancel, ...) find this process's silo here.
            gatewayFile = DataFolderLock.GatewayNote(dataDir);
            await DataFolderLock.WriteGatewayNoteAsync(dataDir, siloSettings.GatewayPort, cancellationToken);
        }
        return new Connection(silo, lockFile, "data folder " + Path.GetFullPath(dataDir), embedded: true, settings.PrintedOptions(), gatewayFile)
        {
            PageAddress = http,
        };
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try
            {
                await _host.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Checkpoints are written after every epoch; a slow stop loses at most the epoch in progress.
            }
        }
        _host.Dispose();
        if (_gatewayFile is not null)
            File.Delete(_gatewayFile);
        if (_lock is not null)
            await _lock.DisposeAsync();
    }

    private static async Task<IHost> StartClientAsync(string? gateway, string? redis, string? redisPassword, string serviceId, string clusterId,
        string? tlsCertificate, string? tlsPassword, string? token, string where, CancellationToken cancellationToken,
        (string ConnectionString, string? Password)? postgres = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            if (gateway is not null)
            {
                // Every listed gateway is known up front; the client uses the live ones and skips a dead one.
                var endpoints = gateway.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseEndpoint).ToArray();
                client.UseStaticClustering(endpoints);
            }
            else if (postgres is { } pg)
            {
                // The gateways are whatever silos the membership table in PostgreSQL says are alive.
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = ExperimentCluster.Silo.Postgres.PostgresConnection.Invariant;
                    o.DataSource = ExperimentCluster.Silo.Postgres.PostgresConnection.Create(pg.ConnectionString, pg.Password);
                });
            }
            else
            {
                // The gateways are whatever silos the membership table in Redis says are alive.
                client.UseRedisClustering(o => o.ConfigurationOptions = RedisConnection.Parse(redis!, redisPassword));
            }
            if (tlsCertificate is not null)
            {
                var certificate = LoadCertificate(tlsCertificate, tlsPassword);
                client.UseTls(certificate, o => ClusterTls.Configure(o, certificate));
            }
            if (!string.IsNullOrEmpty(token))
                client.AddClusterToken(token);
            client.Configure<ClusterOptions>(o =>
            {
                o.ServiceId = serviceId;
                o.ClusterId = clusterId;
            });
        });
        var host = builder.Build();
        // The client retries unreachable gateways for ever; a command should say so instead (a TLS mismatch looks the same).
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await host.StartAsync(connectTimeout.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            var why = e is OperationCanceledException ? "no gateway answered in 30 s (a wrong address, ids or TLS setting look the same)" : e.Message;
            throw new CliException($"{where.Split(' ')[0]}: cannot reach the cluster at {where.Split(' ')[1]}: {why}");
        }
        return host;
    }

    /// <summary>The data folder, made when missing; a path that is a file, or one that cannot be made, is a bad option.</summary>
    private static void CreateDataFolder(string dataDir)
    {
        if (File.Exists(dataDir))
            throw new CliException($"--data-dir: {dataDir} is a file, not a folder");
        try
        {
            Directory.CreateDirectory(dataDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--data-dir: cannot make the folder {dataDir}: {e.Message}");
        }
    }

    /// <summary>Whether an excl process trains in this data folder now (it holds the folder's lock): a command that would
    /// train when nothing else does (retry) asks first, rather than open the folder twice.</summary>
    public static bool TrainedElsewhere(string dataDir)
    {
        if (!Directory.Exists(dataDir))
            return false;
        using var probe = DataFolderLock.TryTake(dataDir);
        return probe is null;
    }

    /// <summary>
    /// The gateway of the excl process that trains in the folder (it writes the note just after its silo starts and
    /// deletes it just before it lets go of the lock), or the lock itself once that process has ended.
    /// </summary>
    private static async Task<(string? Address, FileStream? Lock)> GatewayOrLockAsync(string dataDir, CancellationToken cancellationToken)
    {
        var path = DataFolderLock.GatewayNote(dataDir);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                var text = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
                if (text.Length > 0)
                    return (text, null);
            }
            catch (FileNotFoundException)
            {
                if (DataFolderLock.TryTake(dataDir) is { } freed)
                    return (null, freed);
            }
            if (DateTime.UtcNow > deadline)
                throw new CliException($"--data-dir: another process holds {dataDir} but does not say where its silo is; is it an older excl or silo?");
            await Task.Delay(200, cancellationToken);
        }
    }

    private static IPEndPoint ParseEndpoint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out var port) || port is < 1 or > 65535)
            throw new CliException($"--gateway: '{text}' is not host:port");
        var host = text[..colon];
        if (IPAddress.TryParse(host, out var ip))
            return new IPEndPoint(ip, port);
        try
        {
            return new IPEndPoint(Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork), port);
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException)
        {
            throw new CliException($"--gateway: cannot resolve '{host}'");
        }
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 LoadCertificate(string path, string? password)
    {
        try
        {
            return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException)
        {
            throw new CliException($"--tls-cert: cannot load {path}: {e.Message}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A bad connection setting as the CLI's error, naming the option.</summary>
    private static void Parse(Action check)
    {
        try
        {
            check();
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message);
        }
    }
}
