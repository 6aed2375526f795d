using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>Starts the real programs (excl, the silo) as separate processes, from their build folders.</summary>
public static class Programs
{
    private static readonly string Configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>How often a wait for a condition looks again (waits end on the condition or their timeout, never on time alone).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static string RepositoryRoot { get; } = FindRoot();

    public static string Excl => Path.Combine(RepositoryRoot, "src", "ExperimentCluster.Cli", "bin", Configuration, "net10.0", "excl.dll");

    public static string Silo => Path.Combine(RepositoryRoot, "src", "ExperimentCluster.Silo", "bin", Configuration, "net10.0", "ExperimentCluster.Silo.dll");

    /// <param name="interruptible">Start it with SIGINT at its default disposition, for a test that presses Ctrl-C. A
    /// test run started in the background by a shell (`./test.sh &`, nohup) inherits SIGINT ignored, and .NET keeps an
    /// ignored SIGINT ignored, as a background job should: the Ctrl-C test then saw its sweep run to the end (exit 0).
    /// python3 (which ./test.sh installs) resets it and then becomes the program (exec: the same process id).</param>
    public static RunningProgram Start(string dll, string workingDirectory, IEnumerable<string> args, IDictionary<string, string>? environment = null,
        bool interruptible = false)
    {
        var info = new ProcessStartInfo(interruptible ? "python3" : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (interruptible)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])");
            info.ArgumentList.Add("dotnet");
        }
        info.ArgumentList.Add(dll);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        // Every epoch checkpointed, as the kill tests' "continued from its checkpoint" assumes; the product's interval (a
        // checkpoint at most every 2 s) is tested on its own (Grains.Tests, CheckpointIntervalClusterTests).
        info.Environment["Experiments__CheckpointInterval"] = "00:00:00";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
            info.Environment[k] = v;
        return new RunningProgram(Process.Start(info)!);
    }

    /// <summary>Runs excl to the end (at most the timeout) and returns its exit code and output.</summary>
    public static async Task<(int Code, string Out, string Err)> ExclAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        using var p = Start(Excl, workingDirectory, args);
        var code = await p.WaitForExitAsync(timeout);
        return (code, p.Output, p.Errors);
    }

    /// <summary>The words bash makes of a command line, as a user's paste of a command excl printed would be read.</summary>
    public static async Task<string[]> ShellWordsAsync(string line)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("printf '%s\\0' " + line);
        using var bash = Process.Start(info)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync();
        return output.Split('\0')[..^1];
    }

    /// <summary>The last line a program printed (for --json commands: the summary).</summary>
    public static string LastLine(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];

    private static readonly Lock PortLock = new();
    private static readonly HashSet<int> PortsGiven = [];

    /// <summary>
    /// A loopback port nothing listens on, never the same twice in a test run. Taken above Linux's ephemeral range
    /// (32768-60999): a port the kernel had just handed out as free (port 0) could be taken by any outgoing connection
    /// before the silo bound it, which CI once met as "address already in use".
    /// </summary>
    public static int FreePort()
    {
        lock (PortLock)
        {
            for (var attempt = 0; attempt < 2000; attempt++)
            {
                var port = Random.Shared.Next(61000, 65536);
                if (!PortsGiven.Add(port))
                    continue;
                try
                {
                    using var l = new TcpListener(IPAddress.Loopback, port);
                    l.Start();
                    return port;
                }
                catch (SocketException)
                {
                    // In use by another process: try another.
                }
            }
        }
        throw new InvalidOperationException("no free loopback port in 61000-65535");
    }

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "excl-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ExperimentCluster.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ExperimentCluster.sln not found above the test folder");
    }
}

/// <summary>A started process whose output lines are collected as they arrive.</summary>
public sealed class RunningProgram : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();
    private readonly List<string> _lines = [];

    public RunningProgram(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_lines)
            {
                _lines.Add(e.Data);
                _out.AppendLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_err) _err.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get { lock (_lines) return _out.ToString(); }
    }

    public string Errors
    {
        get { lock (_err) return _err.ToString(); }
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return _lines.ToArray(); }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits until the output satisfies the condition; fails if the process exits first or the time runs out.</summary>
    public async Task WaitForOutputAsync(Func<IReadOnlyList<string>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(Lines))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the process exited ({_process.ExitCode}) first; output:\n{Output}\nerrors:\n{Errors}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"output condition not met in {timeout}; output:\n{Output}\nerrors:\n{Errors}");
            await Task.Delay(Programs.PollInterval);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"did not exit in {timeout}; output:\n{Output}\nerrors:\n{Errors}");
        }
        _process.WaitForExit(); // flushes the output readers
        return _process.ExitCode;
    }

    /// <summary>Ctrl-C: SIGINT to the process, which should stop cleanly.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGTERM, as a service manager stops a process (unlike SIGINT, never ignored by a process started in the
    /// background of a shell without job control, as CI may start the tests).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>kill -9: no clean-up of any kind runs in the process.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(); // the data folder's lock goes with the process, not with the signal
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
