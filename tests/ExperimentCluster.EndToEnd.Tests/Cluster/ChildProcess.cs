using System.Diagnostics;
using System.Text;

namespace ExperimentCluster.EndToEnd.Tests.Cluster;

/// <summary>A started program (redis-server, a silo) with its output kept, that can be stopped politely or killed.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode
    {
        get
        {
            _process.WaitForExit(); // flushes the output readers
            return _process.ExitCode;
        }
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static ChildProcess Start(string file, IEnumerable<string> args, string workingDirectory, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        // Every epoch checkpointed, as the kill tests' "continued from its checkpoint" assumes; the product's interval (a
        // checkpoint at most every 2 s) is tested on its own (Grains.Tests, CheckpointIntervalClusterTests).
        info.Environment["Experiments__CheckpointInterval"] = "00:00:00";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
            info.Environment[k] = v;
        return new ChildProcess(Process.Start(info)!);
    }

    /// <summary>kill -9: nothing in the process gets to clean up.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as docker stop and Kubernetes send, then waits; kills if it takes longer than the timeout.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
            return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
        {
            // Keep the tail only: a silo that logs a lot must not fill the test's memory.
            if (_output.Length > 200_000)
                _output.Remove(0, 100_000);
            _output.AppendLine(line);
        }
    }
}
