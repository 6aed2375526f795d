using ExperimentCluster.Contracts;
namespace ExperimentCluster.Cli;

/// <summary>
/// Where a command talks to, as the user gave it: a cluster (<see cref="Gateway"/>, <see cref="Redis"/> or <see cref="Postgres"/>) or a data
/// folder. A plain record rather than the parsed command line, so that the benchmarks can open an embedded silo too.
/// </summary>
public sealed record ConnectionSettings
{
    public string? Gateway { get; init; }

    public string? Redis { get; init; }

    public string? RedisPassword { get; init; }

    /// <summary>A cluster in postgres mode: its Npgsql connection string, whose membership table lists the gateways.</summary>
    public string? Postgres { get; init; }

    public string? PostgresPassword { get; init; }

    public string DataDir { get; init; } = ".excl";

    public string ServiceId { get; init; } = "experiment-cluster";

    public string ClusterId { get; init; } = "dev";

    public string? TlsCertificate { get; init; }

    public string? TlsPassword { get; init; }

    /// <summary>The cluster's token as given with --token; null: $EXCL_TOKEN, if set.</summary>
    public string? Token { get; init; }

    /// <summary>Training slots of an embedded silo that trains (run, resume, retry); null: the silo's default, its core count.</summary>
    public int? Slots { get; init; }

    /// <summary>Where an embedded silo that trains also serves the experiments page, as given (`127.0.0.1:5080`).</summary>
    public string? Http { get; init; }

    /// <summary>
    /// Folders an embedded silo that trains may read data files from, besides its configured roots (run, resume and retry: the
    /// working folder and the sweep file's folder, which hold the user's own files). Ignored for a cluster, whose silos
    /// keep their own roots.
    /// </summary>
    public IReadOnlyList<string> DataRoots { get; init; } = [];

    /// <summary>A cluster rather than a data folder.</summary>
    public bool IsCluster => Gateway is not null || Redis is not null || Postgres is not null;

    /// <summary>
    /// The options that reach the same sweeps again, for a command excl prints (`--data-dir py`, `--postgres
    /// 'Host=db;Database=excl;Username=excl'`): each value a word the shell reads back as it is, and never a password
    /// (a connection string's is left out; it comes from the environment, as the first command's did or should have).
    /// </summary>
    public string PrintedOptions()
    {
        var where = Gateway is not null ? "--gateway " + ShellWord.Quote(Gateway)
            : Redis is not null ? "--redis " + ShellWord.Quote(ExperimentCluster.Silo.RedisConnection.WithoutPassword(Redis))
            : Postgres is not null ? "--postgres " + ShellWord.Quote(ExperimentCluster.Silo.Postgres.PostgresConnection.WithoutPassword(Postgres))
            : null;
        if (where is null)
            return DataDir == ".excl" ? "" : "--data-dir " + ShellWord.Quote(DataDir);
        return where
            + (ServiceId != "experiment-cluster" ? " --service-id " + ShellWord.Quote(ServiceId) : "")
            + (ClusterId != "dev" ? " --cluster-id " + ShellWord.Quote(ClusterId) : "")
            + (TlsCertificate is not null ? " --tls-cert " + ShellWord.Quote(TlsCertificate) : "");
    }
}
