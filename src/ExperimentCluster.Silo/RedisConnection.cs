using StackExchange.Redis;

namespace ExperimentCluster.Silo;

/// <summary>The Redis client settings shared by the silo's three Redis providers and by clients that discover gateways.</summary>
public static class RedisConnection
{
    /// <summary>How long a command waits for Redis unless the connection string says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The connection string without a password it holds, for a command or message excl prints.</summary>
    public static string WithoutPassword(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        if (string.IsNullOrEmpty(options.Password))
            return connectionString;
        // Not ToString(includePassword: false): that writes "password=*****", which a printed command must not carry.
        options.Password = null;
        return options.ToString();
    }

    public static ConfigurationOptions Parse(string connectionString, string? password)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        if (!string.IsNullOrEmpty(password))
            options.Password = password;
        // Start and keep going while Redis is away; the client reconnects by itself.
        options.AbortOnConnectFail = false;
        // Commands issued while Redis restarts wait in the client's backlog instead of failing at once, so that a
        // Redis restart of a few seconds costs the runs a pause, not a failure.
        if (!connectionString.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase))
            options.AsyncTimeout = (int)DefaultTimeout.TotalMilliseconds;
        if (!connectionString.Contains("syncTimeout", StringComparison.OrdinalIgnoreCase))
            options.SyncTimeout = (int)DefaultTimeout.TotalMilliseconds;
        return options;
    }
}
