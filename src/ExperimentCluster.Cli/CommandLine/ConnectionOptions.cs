using System.CommandLine;

namespace ExperimentCluster.Cli.CommandLine;

/// <summary>
/// The options that say where a command talks to (<see cref="Connection"/>), defined once and added to every command
/// that connects, so that they are spelt, described and defaulted the same everywhere.
/// </summary>
public sealed class ConnectionOptions
{
    private readonly Option<string?> _gateway = CliOptions.Text("--gateway",
        "a running cluster's gateways; a dead one is skipped", "none: the data folder", "host:port,...");
    private readonly Option<string?> _redis = CliOptions.Text("--redis",
        "find a cluster's gateways in its Redis membership table", "none", "host:port");
    private readonly Option<string?> _redisPassword = CliOptions.Text("--redis-password",
        "the Redis password", "$EXCL_REDIS_PASSWORD", "password");
    private readonly Option<string?> _postgres = CliOptions.Text("--postgres",
        "find a cluster's gateways in its PostgreSQL membership table (postgres mode)", "none", "\"Host=h;Database=d;Username=u\"");
    private readonly Option<string?> _postgresPassword = CliOptions.Text("--postgres-password",
        "the PostgreSQL password", "$EXCL_POSTGRES_PASSWORD", "password");
    private readonly Option<string> _dataDir = CliOptions.TextWithDefault("--data-dir", ".excl",
        "the data folder: an embedded silo's SQLite state, or the excl process training there", "dir");
    private readonly Option<string> _serviceId = CliOptions.TextWithDefault("--service-id", "experiment-cluster", "the cluster's service id", "id");
    private readonly Option<string> _clusterId = CliOptions.TextWithDefault("--cluster-id", "dev", "the cluster's cluster id", "id");
    private readonly Option<string?> _tlsCertificate = CliOptions.Text("--tls-cert",
        "a PKCS#12 certificate for a cluster with TLS", "none: no TLS", "file.pfx");
    private readonly Option<string?> _tlsPassword = CliOptions.Text("--tls-password",
        "the certificate's password", "$EXCL_TLS_PASSWORD", "password");
    private readonly Option<string?> _token = CliOptions.Text("--token",
        "the cluster's token (its silos' Http:Token), sent with every call through the gateway", "$EXCL_TOKEN", "token");
    private readonly Option<int?> _slots = CliOptions.Int("--slots",
        "trainings at once in the embedded silo", "the number of cores");
    private readonly Option<string?> _http = CliOptions.Text("--http",
        "the embedded silo also serves the experiments page, the API and the Orleans dashboard here", "none", "host:port");

    /// <summary>Adds the options; a command that trains (run, resume, retry) also gets the embedded silo's --slots and --http.</summary>
    public void AddTo(Command command, bool trains)
    {
        foreach (var option in new Option[] { _gateway, _redis, _redisPassword, _postgres, _postgresPassword, _dataDir, _serviceId, _clusterId, _tlsCertificate, _tlsPassword, _token })
            command.Add(option);
        if (!trains) return;
        command.Add(_slots);
        command.Add(_http);
    }

    public ConnectionSettings Read(ParseResult parse) => new()
    {
        Gateway = parse.GetValue(_gateway),
        Redis = parse.GetValue(_redis),
        RedisPassword = parse.GetValue(_redisPassword),
        Postgres = parse.GetValue(_postgres),
        PostgresPassword = parse.GetValue(_postgresPassword),
        DataDir = parse.GetRequiredValue(_dataDir),
        ServiceId = parse.GetRequiredValue(_serviceId),
        ClusterId = parse.GetRequiredValue(_clusterId),
        TlsCertificate = parse.GetValue(_tlsCertificate),
        TlsPassword = parse.GetValue(_tlsPassword),
        Token = parse.GetValue(_token),
        Slots = parse.GetResult(_slots) is null ? null : parse.GetValue(_slots),
        Http = parse.GetResult(_http) is null ? null : parse.GetValue(_http),
    };
}
