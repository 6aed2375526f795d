using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains;

/// <summary>
/// The numbers of a sweep's runs that have not finished (queued, running or paused), kept in step with the runs: the
/// pump and every finished run ask how many are training and which wait, and counting over all runs made that O(runs)
/// per finished run, so a 100,000-run sweep quadratic. A run leaves only by finishing and comes back only by a retry,
/// so the set is the same as a scan of the runs for unfinished ones; <see cref="Rebuild"/> makes it so on activation.
/// </summary>
internal sealed class OpenRuns
{
    private readonly SortedSet<int> _open = [];

    public IReadOnlyCollection<int> Numbers => _open;

    public void Rebuild(IReadOnlyList<SweepRun> runs)
    {
        _open.Clear();
        foreach (var run in runs)
        {
            if (!run.Status.IsFinished())
                _open.Add(run.Number);
        }
    }

    /// <summary>A new run, or a finished one retried.</summary>
    public void Opened(int run) => _open.Add(run);

    public void Finished(int run) => _open.Remove(run);

    public void Clear() => _open.Clear();

    /// <summary>Runs started and not finished: those holding a place under the concurrency limit.</summary>
    public int Training(IReadOnlyList<SweepRun> runs) => _open.Count(n => runs[n].Started);

    /// <summary>The unfinished runs matching <paramref name="which"/>, in run order, as a list (the set may change while it is used).</summary>
    public List<SweepRun> Where(IReadOnlyList<SweepRun> runs, Func<SweepRun, bool> which) => _open.Select(n => runs[n]).Where(which).ToList();
}
