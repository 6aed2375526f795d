using ExperimentCluster.CommandTrials;

namespace ExperimentCluster.Grains;

/// <summary>
/// A run's kept output (a command trial's log), in a stored state of its own so that the run's epoch writes do not carry
/// it. Stored with the run's writes at most every few seconds while it runs, and always at the end: a crashed silo may
/// lose its runs' newest log lines, never an epoch or a checkpoint.
/// </summary>
internal sealed class RunOutput(IPersistentState<RunLogState> store, RecoveringState<RunLogState> writer, int maxChars)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private TrialLog? _log;
    private long _savedAt;

    /// <summary>The output, restored from its stored state on first use (built-in runs print nothing).</summary>
    public TrialLog Log => _log ??= TrialLog.Restore(maxChars, store.State.Text, store.State.Start);

    /// <summary>Stores what is new, unless the last store was under <see cref="Interval"/> ago and <paramref name="force"/>
    /// is false. Returns the error of a failed write (the run goes on), else null.</summary>
    public async Task<Exception?> SaveAsync(bool force)
    {
        if (_log is null || _log.End == store.State.Start + store.State.Text.Length)
            return null;
        if (!force && Environment.TickCount64 - _savedAt < Interval.TotalMilliseconds)
            return null;
        _savedAt = Environment.TickCount64;
        (store.State.Text, store.State.Start) = _log.Snapshot();
        try
        {
            await writer.WriteAsync();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
