using System.Diagnostics;
using System.Globalization;
using ExperimentCluster.CommandTrials.Archives;

namespace ExperimentCluster.CommandTrials;

/// <summary>
/// A command trial from its first start to its end, over as many process attempts as it takes: restores the
/// checkpoint folder, starts the program, turns its reports into epochs (packing the folder when a report says it holds a
/// checkpoint), retries a failed exit from the last checkpoint up to `max_failures`, and fails a run that stops reporting.
/// Epochs the run had already counted (a resumed program reports them again) are skipped, so the trajectory keeps the first
/// report of each epoch.
/// </summary>
public sealed class CommandTrialRun(TrialLaunch launch, CommandSettings settings, TrialLog log, byte[]? checkpoint, int countedEpoch, double? firstValue)
{
    private TrialProcess? _process;
    private byte[]? _checkpoint = checkpoint;
    private int _counted = countedEpoch;
    private int _failures;
    private double? _first = firstValue;

    // The swept rate, for reports that do not name the one they used: read once, not per report.
    private readonly double? _learningRate =
        launch.Config.TryGetValue("learning_rate", out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var lr) ? lr : null;
    private long _lastReport = Stopwatch.GetTimestamp();
    private bool _stopped;

    private CommandSpec Spec => launch.Spec;

    /// <summary>How many times a pack is tried while files vanish under it (see <see cref="PackCheckpoint"/>).</summary>
    private const int VanishedFileRetries = 10;

    private TimeSpan Grace => TimeSpan.FromSeconds(Math.Max(0, settings.KillGraceSeconds));

    /// <summary>The next counted epoch, or null once the program has exited cleanly. Throws <see cref="TrialFailedException"/>
    /// with the run's Failed reason.</summary>
    public async Task<TrialEpoch?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // Stopped while a failed attempt was being retried: start nothing.
            cancellationToken.ThrowIfCancellationRequested();
            _process ??= StartAttempt();
            var process = _process;
            // What has arrived already needs no timer.
            if (TryNext(out var ready))
                return ready;
            ReadReport? report;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(Spec.ReportTimeoutSeconds));
                try
                {
                    report = await process.Reports.WaitToReadAsync(timeout.Token) && process.Reports.TryRead(out var r) ? r : null;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    log.Append($"[excl] no report for {Spec.ReportTimeoutSeconds} s: stopping the program");
                    await StopAsync();
                    throw new TrialFailedException($"no report for {Spec.ReportTimeoutSeconds} s (command.report_timeout) after epoch {_counted}");
                }
            }
            if (report is null)
            {
                var code = await process.Exited;
                _process = null;
                if (code == 0)
                {
                    log.Append("[excl] exit code 0");
                    if (_counted == 0)
                        throw new TrialFailedException("the program exited with code 0 before its first report (see examples/trial-protocol.md)");
                    return null;
                }
                await FailedExitAsync(code, process.StderrTail);
                continue;
            }

            if (Accept(report) is { } epoch)
                return epoch;
        }
    }

    /// <summary>The next counted epoch if its report has already arrived (never waits).</summary>
    public bool TryNext([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TrialEpoch? epoch)
    {
        epoch = null;
        while (_process is { } process && process.Reports.TryRead(out var report))
        {
            epoch = Accept(report);
            if (epoch is not null)
                return true;
        }
        return false;
    }

    /// <summary>A report as a counted epoch, or null for one the run has counted already.</summary>
    private TrialEpoch? Accept(ReadReport read)
    {
        var report = read.Report;
        if (report.Epoch <= _counted)
            return null;
        if (read.CheckpointError is { } error)
            throw new TrialFailedException(error);
        if (!report.Metrics.TryGetValue(Spec.Metric, out var value))
            throw new TrialFailedException($"the report of epoch {report.Epoch} has no \"{Spec.Metric}\" (command.metric)");
        var now = Stopwatch.GetTimestamp();
        var seconds = Stopwatch.GetElapsedTime(_lastReport, now).TotalSeconds;
        _lastReport = now;
        _counted = report.Epoch;
        byte[]? saved = null;
        if (read.Checkpoint is not null)
            _checkpoint = saved = read.Checkpoint;
        _first ??= value;
        var diverged = !double.IsFinite(value) ? string.Create(CultureInfo.InvariantCulture, $"{Spec.Metric} was {value} at epoch {report.Epoch}")
            : Spec.DivergenceFactor is { } factor && _first > 0 && value > factor * _first
                ? string.Create(CultureInfo.InvariantCulture, $"{Spec.Metric} {value:G4} at epoch {report.Epoch} is above {factor:G4} times the first value {_first:G4} (command.divergence_factor)")
                : null;
        var last = diverged is not null || report.Epoch >= Spec.Epochs;
        return new TrialEpoch(report.Epoch, Spec.Maximize ? -value : value,
            Metric(report, "train_loss") ?? double.NaN,
            Metric(report, "val_accuracy"),
            Metric(report, "lr") ?? Metric(report, "learning_rate") ?? _learningRate ?? double.NaN,
            seconds, report.Metrics, saved, last, diverged);
    }

    /// <summary>Stops the program (SIGTERM, then SIGKILL after the grace period) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        if (_process is { } process)
        {
            _process = null;
            await process.StopAsync(Grace);
        }
        // What the run needs again is stored; its folders on this silo are scratch.
        try
        {
            if (Directory.Exists(launch.RunFolder))
                Directory.Delete(launch.RunFolder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Append($"[excl] could not remove {launch.RunFolder}: {e.Message}");
        }
    }

    private TrialProcess StartAttempt()
    {
        if (_stopped)
            throw new OperationCanceledException("the trial was stopped");
        // Each attempt gets new folders, restored from the last stored checkpoint: a program left over from an attempt
        // whose silo was killed may still write into its own until it next prints, and must not write into this one's.
        launch = launch with { Attempt = Guid.NewGuid().ToString("N")[..12] };
        foreach (var old in Directory.Exists(launch.RunFolder) ? Directory.GetDirectories(launch.RunFolder, "attempt-*") : [])
        {
            try
            {
                Directory.Delete(old, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A folder still being written by a leftover program; the next attempt tries again.
            }
        }
        var folder = launch.CheckpointFolder;
        Directory.CreateDirectory(launch.AttemptFolder);
        var epoch = 0;
        if (_checkpoint is not null)
        {
            (epoch, var archive) = CheckpointBlob.Decode(_checkpoint);
            FolderArchive.Unpack(archive, folder, FolderArchive.UnpackedBound(settings.MaxCheckpointBytes));
        }
        else
        {
            Directory.CreateDirectory(folder);
        }
        launch.WriteParamsFile();
        var start = launch.StartInfo(epoch);
        log.Append(string.Create(CultureInfo.InvariantCulture,
            $"[excl] {(_failures == 0 ? "start" : $"retry {_failures} of {Spec.MaxFailures}")}{(epoch > 0 ? $" from the checkpoint of epoch {epoch}" : "")}: {Describe(start)}"));
        _lastReport = Stopwatch.GetTimestamp();
        // Reports the run has counted already need no checkpoint: the stored one is at least as new.
        var counted = _counted;
        return TrialProcess.Start(start, log, report => report.Epoch > counted ? PackCheckpoint(report.Epoch) : null);
    }

    private async Task FailedExitAsync(int code, string stderrTail)
    {
        log.Append($"[excl] exit code {code}");
        if (_failures < Spec.MaxFailures && !_stopped)
        {
            _failures++;
            await Task.Delay(TimeSpan.FromMilliseconds(200 * _failures));
            return;
        }
        var retried = Spec.MaxFailures == 0 ? "" : $" after {Spec.MaxFailures} retr{(Spec.MaxFailures == 1 ? "y" : "ies")} (command.max_failures)";
        var tail = string.IsNullOrWhiteSpace(stderrTail) ? "no standard error" : "standard error ends:\n" + stderrTail;
        throw new TrialFailedException($"exit code {code} at epoch {_counted}{retried}; {tail}");
    }

    private byte[] PackCheckpoint(int epoch)
    {
        try
        {
            // The program is paused while this runs, but a process it started is not: a file renamed or deleted while the
            // folder is packed is gone when it is read. Pack again: a rename is atomic, so another pass sees a whole folder.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return CheckpointBlob.Encode(epoch, FolderArchive.Pack(launch.CheckpointFolder, settings.MaxCheckpointBytes, IgnoreRules.ForCheckpoints,
                        remedy: $"keep less in the checkpoint folder or raise {CommandSettings.Section}:MaxCheckpointBytes"));
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException && attempt < VanishedFileRetries && Directory.Exists(launch.CheckpointFolder))
                {
                    // A file went away mid-pack: the next pass reads the folder as it is now.
                }
            }
        }
        catch (Exception e) when (e is IOException or ArchiveException or UnauthorizedAccessException)
        {
            throw new TrialFailedException($"the checkpoint of epoch {epoch} could not be stored: {e.Message}");
        }
    }

    private static double? Metric(TrialReport report, string name) => report.Metrics.TryGetValue(name, out var v) ? v : null;

    private static string Describe(ProcessStartInfo start) =>
        string.Join(" ", new[] { start.FileName }.Concat(start.ArgumentList).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
}
