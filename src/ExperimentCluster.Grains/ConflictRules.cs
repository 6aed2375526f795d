using ExperimentCluster.Contracts;
using ExperimentCluster.Grains.Code;

namespace ExperimentCluster.Grains;

/// <summary>
/// After an ETag conflict (<see cref="RecoveringState{T}"/>), which state goes on: each rule gets the stored state and
/// the grain's own and returns the state to write again over the stored one, or null when the stored one must replace
/// the grain's. The grain's own wins whenever the stored one holds no progress it lacks, which is the case after Redis
/// lost its newest writes (the stored state is an older copy of this very activation's) and after a write that had
/// landed although its connection broke; only a state written by another activation can hold more.
/// </summary>
public static class ConflictRules
{
    /// <summary>A run: its own state unless the stored one is further (more epochs of the same attempt, a later
    /// attempt, or finished where this one is not). The checkpoint and trajectory a state names are stored before it, so
    /// either whole state is one the run can continue from.</summary>
    public static RunState? Run(RunState stored, RunState mine)
    {
        if (!stored.Exists || stored.Attempt < mine.Attempt)
            return mine;
        if (stored.Attempt > mine.Attempt || Epochs(stored) > Epochs(mine))
            return null;
        return stored.Status.IsFinished() && !mine.Status.IsFinished() ? null : mine;
    }

    // The epochs a stored state counts: its trajectory lives in the trajectory store (MetricsCount), or inline in a state
    // of an older schema. The grain's own state counts them the same way, set just before its write.
    private static int Epochs(RunState state) => Math.Max(state.MetricsCount, state.InlineMetrics?.Count ?? 0);

    /// <summary>A sweep: its own state unless the stored one knows something it does not (a run it has not created, an
    /// edit, or an end of the sweep). What each run knows is in the run buckets, whose writes ask <see cref="SweepRuns"/>.</summary>
    public static SweepState? Sweep(SweepState stored, SweepState mine)
    {
        // A sweep being deleted (stored Deleting, which hides it from Exists) stays deleted: the delete goes on.
        if (stored.Deleting && !mine.Deleting)
            return null;
        if (!stored.Exists)
            return mine;
        if (stored.RunCount > mine.RunCount || stored.Edits.Count > mine.Edits.Count)
            return null;
        if (stored.Status is not (SweepStatus.Running or SweepStatus.Paused) && stored.Status != mine.Status)
            return null;
        return mine;
    }

    /// <summary>A bucket of a sweep's runs: its own runs unless the stored ones know something they do not (a run not
    /// created here, or one started, seen finish or retried, or with an epoch not recorded here).</summary>
    public static IReadOnlyList<SweepRun>? SweepRuns(IReadOnlyList<SweepRun> stored, IReadOnlyList<SweepRun> mine)
    {
        if (stored.Count > mine.Count)
            return null;
        for (var i = 0; i < stored.Count; i++)
        {
            var (s, m) = (stored[i], mine[i]);
            if (s.Attempt < m.Attempt)
                continue;
            if (s.Attempt > m.Attempt || s.Epochs > m.Epochs || (s.Started && !m.Started) || (s.Status.IsFinished() && !m.Status.IsFinished()))
                return null;
        }
        return mine;
    }

    /// <summary>A run's kept output: its own, always (only the run's activation writes it, and it is kept best-effort).</summary>
    public static RunLogState Log(RunLogState stored, RunLogState mine) => mine;

    /// <summary>The list of sweeps: its own, always. The list's one activation is its only writer, and a merge with the
    /// stored list would bring back an id removed since.</summary>
    public static SweepIndexState Index(SweepIndexState stored, SweepIndexState mine) => mine;

    /// <summary>Uploaded code: written once, keyed by its hash, so both are the same bytes; the grain's own.</summary>
    public static CodeState Code(CodeState stored, CodeState mine) => mine;
}
