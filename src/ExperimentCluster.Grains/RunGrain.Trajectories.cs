using ExperimentCluster.Grains.Trajectories;

namespace ExperimentCluster.Grains;

/// <summary>
/// The run's trajectory in the trajectory store: each epoch is written once, appended to the attempt's series before the
/// state write that counts it (<see cref="RunState.MetricsCount"/>), so a write costs the same at epoch 500 as at epoch 5.
/// A crash between the two leaves epochs in the series past the stored count; they do not count, and the resumed run
/// writes those positions again. Epochs the sweep refused (a stop inside a batch) are uncounted the same way.
/// </summary>
public sealed partial class RunGrain
{
    // The positions of State.Metrics that the store holds for _trajectoryAttempt.
    private int _trajectoryStored;
    private int _trajectoryAttempt;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Exists)
            await LoadTrajectoryAsync(cancellationToken);
    }

    /// <summary>Reads the trajectory back (one call), or takes a schema version 1-2 state's inline one to move it on the next write.</summary>
    private async Task LoadTrajectoryAsync(CancellationToken cancellationToken)
    {
        _trajectoryAttempt = State.Attempt;
        if (State.InlineMetrics is { } inline)
        {
            State.Metrics = inline;
            _trajectoryStored = 0;
            return;
        }
        State.Metrics = State.MetricsCount == 0 ? []
            : await trajectories.ReadAsync(State.SweepId!, State.Number, State.Attempt, State.MetricsCount, cancellationToken);
        if (State.Metrics.Count != State.MetricsCount)
            throw new InvalidOperationException($"run {State.SweepId}/{State.Number}: its state counts {State.MetricsCount} epochs, the trajectory store holds {State.Metrics.Count}");
        _trajectoryStored = State.Metrics.Count;
    }

    /// <summary>The trajectory was cut back to <paramref name="count"/> epochs (to its checkpoint's): the next write starts there.</summary>
    private void TrajectoryCut(int count) => _trajectoryStored = Math.Min(_trajectoryStored, count);

    /// <summary>Before a state write: appends the epochs the store does not hold yet, and counts them in the state.</summary>
    private async Task StoreTrajectoryAsync(CancellationToken cancellationToken)
    {
        if (_trajectoryAttempt != State.Attempt)
        {
            // A retry: the new attempt's series starts empty.
            _trajectoryAttempt = State.Attempt;
            _trajectoryStored = 0;
        }
        var count = State.Metrics.Count;
        var from = Math.Min(_trajectoryStored, count);
        if (from < count || (from == 0 && State.InlineMetrics is not null))
            await trajectories.WriteAsync(State.SweepId!, State.Number, State.Attempt, from, State.Metrics.GetRange(from, count - from), cancellationToken);
        _trajectoryStored = count;
        State.MetricsCount = count;
        State.InlineMetrics = null;
        State.SchemaVersion = RunState.CurrentSchemaVersion;
    }
}
