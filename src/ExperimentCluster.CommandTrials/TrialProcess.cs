using System.Diagnostics;
using System.Threading.Channels;

namespace ExperimentCluster.CommandTrials;

/// <summary>
/// One attempt of a trial: the user's program as a child process. Standard output is split into reports (a channel,
/// in order, never dropped: a full channel stops reading, so the pipe fills and the program waits) and log lines;
/// standard error goes to the log and its last lines are kept for the failure reason.
/// </summary>
internal sealed class TrialProcess
{
    private const int MaxLineChars = 1 << 20;
    private const int StderrTailLines = 20;

    private readonly Process _process;
    private readonly TrialLog _log;
    private readonly Channel<ReadReport> _reports = Channel.CreateBounded<ReadReport>(new BoundedChannelOptions(4096) { SingleReader = true, SingleWriter = true });
    private readonly Func<TrialReport, byte[]?> _packCheckpoint;
    private readonly Queue<string> _stderrTail = new();
    private readonly Task _stdout;
    private readonly Task _stderr;

    // Guards the Process object against its disposal at exit: a stop that comes as the program ends by itself (the usual
    // case after its last report) must neither touch a disposed Process nor signal a pid that may have been reused.
    private readonly Lock _gate = new();
    private bool _gone;

    private TrialProcess(Process process, TrialLog log, Func<TrialReport, byte[]?> packCheckpoint)
    {
        _process = process;
        _log = log;
        _packCheckpoint = packCheckpoint;
        _stdout = Task.Run(ReadStdoutAsync);
        _stderr = Task.Run(ReadStderrAsync);
        Exited = WaitForExitAsync();
    }

    /// <summary>The reports, in order; completed once the process has exited and its output is read.</summary>
    public ChannelReader<ReadReport> Reports => _reports.Reader;

    /// <summary>The exit code, once the process has exited and both outputs are read to the end.</summary>
    public Task<int> Exited { get; }

    public string StderrTail
    {
        get
        {
            lock (_stderrTail)
                return string.Join("\n", _stderrTail);
        }
    }

    /// <summary>Starts the program. <paramref name="packCheckpoint"/> packs the checkpoint folder for a report that says it
    /// holds one (null: a report the run does not need); it runs as the line is read, with the program paused.</summary>
    public static TrialProcess Start(ProcessStartInfo start, TrialLog log, Func<TrialReport, byte[]?> packCheckpoint)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new TrialFailedException($"could not start '{start.FileName}': {e.Message}");
        }
        // Nothing is ever written to its input: a program that reads it sees the end at once instead of hanging.
        process.StandardInput.Close();
        return new TrialProcess(process, log, packCheckpoint);
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>; returns once the process is gone.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        // Whatever the program still prints is not wanted: keep reading so that its output never blocks its exit.
        _ = Task.Run(async () =>
        {
            while (await _reports.Reader.WaitToReadAsync())
            {
                while (_reports.Reader.TryRead(out _))
                {
                }
            }
        });
        if (!Signal(pid =>
            {
                Signals.Terminate(pid);
                return true;
            }))
        {
            await Exited;
            return;
        }
        try
        {
            await Exited.WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            _log.Append($"[excl] no exit {grace.TotalSeconds:0.#} s after SIGTERM: SIGKILL");
            KillNow();
            await Exited;
        }
    }

    public void KillNow()
    {
        lock (_gate)
        {
            if (_gone)
                return;
            try
            {
                _process.Kill(entireProcessTree: false);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    /// <summary>Sends a signal to the program while it runs; false (nothing sent) once it has exited.</summary>
    private bool Signal(Func<int, bool> send)
    {
        lock (_gate)
            return !_gone && !_process.HasExited && send(_process.Id);
    }

    private async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        await Task.WhenAll(_stdout, _stderr);
        int code;
        lock (_gate)
        {
            code = _process.ExitCode;
            _process.Dispose();
            _gone = true;
        }
        _reports.Writer.TryComplete();
        return code;
    }

    private async Task ReadStdoutAsync()
    {
        await foreach (var (line, cut) in BoundedLines.ReadAsync(_process.StandardOutput, MaxLineChars))
        {
            TrialReport? report = null;
            if (!cut)
            {
                try
                {
                    report = TrialReportParser.Parse(line);
                }
                catch (FormatException e)
                {
                    _log.Append($"[excl] not a report: {e.Message}");
                }
            }
            if (report is null)
                _log.Append(cut ? line + $" [excl: line cut at {MaxLineChars} characters]" : line);
            else
                await _reports.Writer.WriteAsync(report.Checkpoint ? Packed(report) : new ReadReport(report, null, null));
        }
    }

    /// <summary>
    /// The folder is packed when its report line is read, not when the run counts the report (reports are read ahead), and
    /// with the program stopped (SIGSTOP … SIGCONT): a program that printed "epoch k is saved" and went on to write epoch k+1
    /// cannot change the folder under the packing.
    /// </summary>
    private ReadReport Packed(TrialReport report)
    {
        var paused = Signal(Signals.Pause);
        try
        {
            return new ReadReport(report, _packCheckpoint(report), null);
        }
        catch (TrialFailedException e)
        {
            return new ReadReport(report, null, e.Message);
        }
        finally
        {
            if (paused)
            {
                Signal(pid =>
                {
                    Signals.Continue(pid);
                    return true;
                });
            }
        }
    }

    private async Task ReadStderrAsync()
    {
        await foreach (var (line, _) in BoundedLines.ReadAsync(_process.StandardError, MaxLineChars))
        {
            _log.Append(line);
            lock (_stderrTail)
            {
                _stderrTail.Enqueue(line.Length > 500 ? line[..500] + "…" : line);
                if (_stderrTail.Count > StderrTailLines)
                    _stderrTail.Dequeue();
            }
        }
    }
}

/// <summary>A report as read: with its packed checkpoint folder when it said it holds one, or why that failed.</summary>
internal sealed record ReadReport(TrialReport Report, byte[]? Checkpoint, string? CheckpointError);

/// <summary>A trial that cannot go on: the message is the run's Failed reason.</summary>
public sealed class TrialFailedException(string message) : Exception(message);
