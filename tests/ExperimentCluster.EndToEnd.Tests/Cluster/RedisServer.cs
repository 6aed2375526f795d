using System.Globalization;
using System.Net.Sockets;

namespace ExperimentCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// A private redis-server (the Debian package) on a free loopback port, with its append-only file in a temporary
/// folder; never the system's Redis. Can be shut down and started again on the same port and data.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly string _dir;
    private readonly IReadOnlyList<string> _extraArgs;
    private ChildProcess? _process;

    private RedisServer(string dir, int port, string? password, IReadOnlyList<string> extraArgs)
    {
        _dir = dir;
        Port = port;
        Password = password;
        _extraArgs = extraArgs;
    }

    public int Port { get; }

    /// <summary>The folder of its append-only file (appendonlydir/), which a restart reads.</summary>
    public string DataFolder => _dir;

    /// <summary>The running server's process id (to freeze it with SIGSTOP while its files are copied).</summary>
    public int ProcessId => _process!.Id;

    public string? Password { get; }

    /// <summary>The connection string silos and clients are given (the password goes separately).</summary>
    public string Address => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(string? password = null, IReadOnlyList<string>? extraArgs = null)
    {
        var server = new RedisServer(Programs.TempFolder(), Programs.FreePort(), password, extraArgs ?? ["--appendonly", "yes"]);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var args = new List<string> { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _dir, "--save", "" };
        args.AddRange(_extraArgs);
        if (Password is not null)
            args.AddRange(["--requirepass", Password]);
        _process = ChildProcess.Start("redis-server", args, _dir);
        await Waits.UntilAsync(async () => await PingAsync(), TimeSpan.FromSeconds(20), () => "redis-server did not answer:\n" + _process.Output);
    }

    /// <summary>SHUTDOWN: Redis flushes its append-only file and exits, as a restarted Redis server does.</summary>
    public async Task ShutdownAsync()
    {
        await CommandAsync("SHUTDOWN");
        await _process!.StopAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>kill -9: Redis gets no chance to flush or fsync anything.</summary>
    public void Kill() => _process!.Kill();

    /// <summary>Sends one command without authenticating first and returns Redis' first reply line.</summary>
    public async Task<string> CommandWithoutPasswordAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command + "\r\n"));
        using var reader = new StreamReader(stream);
        return await reader.ReadLineAsync() ?? "";
    }

    public void Dispose()
    {
        _process?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            return (await CommandAsync("PING")).Contains("PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task<string> CommandAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        await using var stream = client.GetStream();
        var auth = Password is null ? "" : $"AUTH {Password}\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(auth + command + "\r\n"));
        using var reader = new StreamReader(stream);
        var first = await reader.ReadLineAsync() ?? "";
        return Password is null || command == "SHUTDOWN" ? first : await reader.ReadLineAsync() ?? "";
    }
}
