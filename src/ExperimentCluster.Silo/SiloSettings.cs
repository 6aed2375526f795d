using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace ExperimentCluster.Silo;

/// <summary>How a silo joins its cluster and where it keeps state (configuration section "Cluster").</summary>
public sealed class SiloSettings
{
    /// <summary>
    /// "embedded": localhost clustering and a SQLite file; "cluster": Redis for membership, state and reminders;
    /// "postgres": PostgreSQL for them.
    /// </summary>
    public string Mode { get; set; } = "embedded";

    /// <summary>Embedded mode: the folder of the SQLite file.</summary>
    public string DataDir { get; set; } = ".excl";

    public string ServiceId { get; set; } = "experiment-cluster";

    public string ClusterId { get; set; } = "dev";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Embedded mode with several silos on one machine: the silo port of the first one (which holds the membership table).</summary>
    public int? PrimarySiloPort { get; set; }

    /// <summary>Cluster mode: a StackExchange.Redis connection string ("redis:6379", "host:6379,password=...,ssl=true").</summary>
    public string? Redis { get; set; }

    /// <summary>Cluster mode: the Redis password, kept apart from the connection string so that it can come from a secret.</summary>
    public string? RedisPassword { get; set; }

    /// <summary>Postgres mode: an Npgsql connection string ("Host=postgres;Database=excl;Username=excl").</summary>
    public string? Postgres { get; set; }

    /// <summary>Postgres mode: the password, kept apart from the connection string so that it can come from a secret.</summary>
    public string? PostgresPassword { get; set; }

    /// <summary>Postgres mode: how long a starting silo waits for PostgreSQL to answer before it exits saying so.</summary>
    public TimeSpan PostgresStartupWait { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Cluster mode: the address other silos and clients use to reach this silo (an IP or a host name resolved at
    /// start), or "auto": this machine's first non-loopback IPv4 address (a container's own address, where the
    /// address is not known before start). Default: loopback, so that nothing listens beyond this machine unless configured.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Cluster mode: listen on every interface (0.0.0.0) instead of only the advertised address; needed in containers.</summary>
    public bool ListenOnAnyAddress { get; set; }

    public MembershipSettings Membership { get; set; } = new();

    public TlsSettings Tls { get; set; } = new();

    public string DatabasePath => Path.Combine(DataDir, "experiments.db");

    /// <summary>Silos on several machines (Redis or PostgreSQL), rather than one machine's embedded silo.</summary>
    public bool IsCluster => Mode is "cluster" or "postgres";

    public bool IsPostgres => Mode == "postgres";

    /// <summary>Rejects settings that cannot work, naming the setting.</summary>
    public void Validate()
    {
        if (Mode is not ("embedded" or "cluster" or "postgres"))
            throw new ArgumentException($"Cluster:Mode: '{Mode}' is not a mode; use embedded, cluster (Redis) or postgres");
        if (SiloPort is < 1 or > 65535)
            throw new ArgumentException($"Cluster:SiloPort: {SiloPort} is not a port");
        if (GatewayPort is < 1 or > 65535)
            throw new ArgumentException($"Cluster:GatewayPort: {GatewayPort} is not a port");
        if (string.IsNullOrWhiteSpace(ServiceId) || string.IsNullOrWhiteSpace(ClusterId))
            throw new ArgumentException("Cluster:ServiceId and Cluster:ClusterId must not be empty");
        if (IsPostgres)
        {
            ExperimentCluster.Silo.Postgres.PostgresConnection.Parse(Postgres);
            if (PostgresStartupWait < TimeSpan.Zero)
                throw new ArgumentException($"Cluster:PostgresStartupWait: {PostgresStartupWait} must not be negative");
        }
        else if (IsCluster && string.IsNullOrWhiteSpace(Redis))
            throw new ArgumentException("Cluster:Redis: cluster mode needs a Redis connection string (see deploy/README.md)");
        Membership.Validate();
        Tls.Validate();
    }

    /// <summary>The address this silo advertises: the configured one (resolved if a host name), else loopback.</summary>
    public IPAddress ResolveAdvertisedAddress()
    {
        if (string.IsNullOrWhiteSpace(AdvertisedAddress))
            return IPAddress.Loopback;
        if (IPAddress.TryParse(AdvertisedAddress, out var ip))
            return ip;
        if (AdvertisedAddress == "auto")
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
                ?? throw new ArgumentException("Cluster:AdvertisedAddress: auto found no non-loopback IPv4 address");
        }
        try
        {
            return Dns.GetHostAddresses(AdvertisedAddress).First(a => a.AddressFamily == AddressFamily.InterNetwork);
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException)
        {
            throw new ArgumentException($"Cluster:AdvertisedAddress: cannot resolve '{AdvertisedAddress}' to an IPv4 address", e);
        }
    }
}
