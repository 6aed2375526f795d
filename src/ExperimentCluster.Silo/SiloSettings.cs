namespace ExperimentCluster.Silo;

/// <summary>How a silo joins its cluster and where it keeps state (configuration section "Cluster").</summary>
public sealed class SiloSettings
{
    /// <summary>"embedded": localhost clustering and a SQLite file; "cluster": Redis for membership, state and reminders.</summary>
    public string Mode { get; set; } = "embedded";

    /// <summary>Embedded mode: the folder of the SQLite file.</summary>
    public string DataDir { get; set; } = ".excl";

    public string ServiceId { get; set; } = "experiment-cluster";

    public string ClusterId { get; set; } = "dev";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Embedded mode with several silos on one machine: the silo port of the first one (which holds the membership table).</summary>
    public int? PrimarySiloPort { get; set; }

    public string DatabasePath => Path.Combine(DataDir, "experiments.db");

    /// <summary>Rejects settings that cannot work, naming the setting.</summary>
    public void Validate()
    {
        if (Mode is not ("embedded" or "cluster"))
            throw new ArgumentException($"Cluster:Mode: '{Mode}' is not a mode; use embedded or cluster");
        if (SiloPort is < 1 or > 65535)
            throw new ArgumentException($"Cluster:SiloPort: {SiloPort} is not a port");
        if (GatewayPort is < 1 or > 65535)
            throw new ArgumentException($"Cluster:GatewayPort: {GatewayPort} is not a port");
        if (string.IsNullOrWhiteSpace(ServiceId) || string.IsNullOrWhiteSpace(ClusterId))
            throw new ArgumentException("Cluster:ServiceId and Cluster:ClusterId must not be empty");
    }
}
