using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains.Tests.Storage;

/// <summary>Which state goes on after an ETag conflict: the grain's own unless the stored one holds progress it lacks.</summary>
public sealed class ConflictRulesTests
{
    [Fact]
    public void A_run_keeps_its_own_state_when_Redis_lost_its_newest_epochs_or_the_whole_record()
    {
        var mine = Run(epochs: 5, RunStatus.Running);
        Assert.Same(mine, ConflictRules.Run(Run(epochs: 3, RunStatus.Running), mine));
        Assert.Same(mine, ConflictRules.Run(Run(epochs: 5, RunStatus.Running), mine));
        Assert.Same(mine, ConflictRules.Run(new RunState(), mine));
        var retried = Run(epochs: 0, RunStatus.Queued, attempt: 2);
        Assert.Same(retried, ConflictRules.Run(Run(epochs: 9, RunStatus.Completed), retried));
    }

    [Fact]
    public void A_run_takes_the_stored_state_when_it_is_further()
    {
        Assert.Null(ConflictRules.Run(Run(epochs: 6, RunStatus.Running), Run(epochs: 5, RunStatus.Running)));
        Assert.Null(ConflictRules.Run(Run(epochs: 5, RunStatus.Cancelled), Run(epochs: 5, RunStatus.Running)));
        Assert.Null(ConflictRules.Run(Run(epochs: 0, RunStatus.Queued, attempt: 2), Run(epochs: 7, RunStatus.Completed)));
    }

    [Fact]
    public void A_sweep_keeps_its_own_state_unless_the_stored_one_knows_more()
    {
        var mine = Sweep(SweepStatus.Running, runs: 3);
        Assert.Same(mine, ConflictRules.Sweep(Sweep(SweepStatus.Running, runs: 2), mine));
        Assert.Same(mine, ConflictRules.Sweep(Sweep(SweepStatus.Running, runs: 3), mine));
        Assert.Same(mine, ConflictRules.Sweep(new SweepState(), mine));

        Assert.Null(ConflictRules.Sweep(Sweep(SweepStatus.Running, runs: 4), mine));
        Assert.Null(ConflictRules.Sweep(Sweep(SweepStatus.Cancelled, runs: 1), mine));
        var edited = Sweep(SweepStatus.Running, runs: 3);
        edited.Edits.Add(new SweepEditEvent(1, DateTimeOffset.UnixEpoch, "max_runs", "10", "20", 3));
        Assert.Null(ConflictRules.Sweep(edited, mine));
        Assert.Null(ConflictRules.Sweep(new SweepState { SweepJson = "{}", Deleting = true }, mine));
    }

    [Fact]
    public void A_bucket_of_a_sweeps_runs_keeps_its_own_runs_unless_the_stored_ones_know_more()
    {
        var mine = Runs((RunStatus.Completed, 12, true), (RunStatus.Running, 4, true), (RunStatus.Queued, 0, false));
        Assert.Same(mine, ConflictRules.SweepRuns(Runs((RunStatus.Running, 10, true), (RunStatus.Running, 2, true)), mine));
        Assert.Same(mine, ConflictRules.SweepRuns([], mine));

        Assert.Null(ConflictRules.SweepRuns(Runs((RunStatus.Completed, 12, true), (RunStatus.Running, 5, true)), mine));
        Assert.Null(ConflictRules.SweepRuns(Runs((RunStatus.Completed, 12, true), (RunStatus.Completed, 4, true)), mine));
        Assert.Null(ConflictRules.SweepRuns(Runs((RunStatus.Completed, 12, true), (RunStatus.Running, 4, true), (RunStatus.Queued, 0, true)), mine));
        Assert.Null(ConflictRules.SweepRuns(Runs((RunStatus.Completed, 12, true), (RunStatus.Running, 4, true), (RunStatus.Queued, 0, false), (RunStatus.Queued, 0, false)), mine));
    }

    [Fact]
    public void The_sweep_list_keeps_its_own_ids_so_that_a_removed_one_stays_removed()
    {
        var mine = new SweepIndexState { Ids = ["a", "c"] };
        Assert.Same(mine, ConflictRules.Index(new SweepIndexState { Ids = ["a", "b"] }, mine));
    }

    private static RunState Run(int epochs, RunStatus status, int attempt = 1) => new()
    {
        SweepId = "s",
        Status = status,
        Attempt = attempt,
        Metrics = Enumerable.Range(1, epochs).Select(e => new EpochRecord(e, 1, 1, null, 0.1, 0, 0)).ToList(),
        // What a stored state counts (its trajectory is in the trajectory store), set before every write.
        MetricsCount = epochs,
    };

    private static SweepState Sweep(SweepStatus status, int runs) => new() { SweepJson = "{}", Status = status, RunCount = runs };

    private static List<SweepRun> Runs(params (RunStatus Status, int Epochs, bool Started)[] runs) =>
        runs.Select((r, i) => new SweepRun { Number = i, Status = r.Status, Epochs = r.Epochs, Started = r.Started }).ToList();
}
