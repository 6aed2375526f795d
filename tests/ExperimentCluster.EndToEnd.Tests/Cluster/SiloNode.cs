using System.Globalization;

namespace ExperimentCluster.EndToEnd.Tests.Cluster;

/// <summary>One silo process with a fixed environment (ports included), which can be killed, stopped and started again.</summary>
public sealed class SiloNode : IDisposable
{
    private readonly string _dir;
    private ChildProcess? _process;

    public SiloNode(string name, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        Environment = environment;
        SiloPort = int.Parse(environment["Cluster__SiloPort"], CultureInfo.InvariantCulture);
        GatewayPort = int.Parse(environment["Cluster__GatewayPort"], CultureInfo.InvariantCulture);
        Http = new Uri(environment["Urls"]);
        _dir = Programs.TempFolder();
    }

    public string Name { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public Uri Http { get; }

    public bool Running => _process is { HasExited: false };

    public string Output => _process?.Output ?? "";

    /// <summary>Whether a run's or silo's address ("S127.0.0.1:port:generation") is this silo's, in any generation.</summary>
    public bool Owns(string? siloAddress) =>
        siloAddress is not null && siloAddress.Contains($":{SiloPort.ToString(CultureInfo.InvariantCulture)}:", StringComparison.Ordinal);

    public void Start()
    {
        _process?.Dispose();
        _process = ChildProcess.Start("dotnet", [Programs.Silo], _dir, Environment.ToDictionary());
    }

    /// <summary>Waits until /health answers.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Http, Timeout = TimeSpan.FromSeconds(2) };
        await Waits.UntilAsync(async () =>
        {
            if (_process is null || _process.HasExited)
                throw new InvalidOperationException($"silo {Name} exited:\n{Output}");
            try
            {
                return (await http.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, timeout, () => $"silo {Name} not healthy:\n{Output}");
    }

    public void Kill() => _process?.Kill();

    public Task StopAsync(TimeSpan timeout) => _process?.StopAsync(timeout) ?? Task.CompletedTask;

    public void Dispose()
    {
        _process?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Harmless.
        }
    }
}
