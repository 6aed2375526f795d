using System.Net;
using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests.RunLogs;

/// <summary>
/// `excl run --http` over a gated <see cref="LogScript"/> sweep in a folder of its own: the embedded silo runs the
/// commands and serves the API and the page while the runs wait at their gates.
/// </summary>
public sealed class LoggingSweepProcess : IDisposable
{
    public static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    private LoggingSweepProcess(string folder, string id, int port, RunningProgram process)
    {
        Folder = folder;
        Id = id;
        Process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Folder { get; }

    public string Id { get; }

    public RunningProgram Process { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>Starts the sweep; <paramref name="keptChars"/>: the embedded silo's Experiments:Commands:LogChars (the
    /// newest characters it keeps of each run's output), its default without.</summary>
    public static LoggingSweepProcess Start(string id, int runs, int epochs, bool chatty = false, int? keptChars = null)
    {
        var folder = Programs.TempFolder();
        var file = LogScript.Write(folder, runs, epochs, gated: true, chatty);
        var port = Programs.FreePort();
        var environment = new Dictionary<string, string>();
        if (keptChars is { } chars)
            environment["Experiments__Commands__LogChars"] = chars.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Programs.Start(Programs.Excl, folder, ["run", file, "--id", id, "--data-dir", "state", "--http", $"127.0.0.1:{port}"], environment);
        return new LoggingSweepProcess(folder, id, port, process);
    }

    /// <summary>Polls the log endpoint until the run's log holds every one of <paramref name="texts"/> (the server may not
    /// be up yet, the run not yet created); returns the answer.</summary>
    public Task<JsonObject> WaitForLogAsync(int run, params string[] texts) =>
        WaitForLogAsync(run, log => texts.All(t => ((string?)log["text"])!.Contains(t, StringComparison.Ordinal)), string.Join(", ", texts));

    /// <summary>Polls the log endpoint until its answer for the run satisfies the condition; returns that answer.</summary>
    public async Task<JsonObject> WaitForLogAsync(int run, Func<JsonObject, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Long;
        var last = "";
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync($"/api/sweeps/{Id}/runs/{run}/log");
                last = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK && JsonNode.Parse(last)!.AsObject() is var log && condition(log))
                    return log;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (Process.HasExited || DateTime.UtcNow > deadline)
                throw new TimeoutException($"run {run}'s log never met the condition ({what}); last answer: {last}\noutput:\n{Process.Output}\nerrors:\n{Process.Errors}");
            await Task.Delay(Programs.PollInterval);
        }
    }

    /// <summary>Opens every gate and waits for `excl run` to end; returns its exit code.</summary>
    public async Task<int> FinishAsync(int runs)
    {
        for (var run = 0; run < runs; run++)
            LogScript.Open(Folder, run);
        return await Process.WaitForExitAsync(Long);
    }

    public void Dispose()
    {
        Http.Dispose();
        Process.Dispose();
    }
}
