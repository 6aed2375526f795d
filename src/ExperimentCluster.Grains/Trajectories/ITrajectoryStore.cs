using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains.Trajectories;

/// <summary>
/// Where runs keep their trajectories, one series per run attempt beside grain state (which holds only the count of epochs
/// that count, <see cref="RunState.MetricsCount"/>): an epoch is written once, appended, instead of the whole trajectory
/// being rewritten with the run's state after every epoch. One implementation per storage mode, registered by the silo.
/// </summary>
public interface ITrajectoryStore
{
    /// <summary>
    /// Sets the attempt's epochs from position <paramref name="from"/> on to <paramref name="epochs"/> and drops any stored
    /// after them. Idempotent: writing the same positions again (a retry, or a run resumed after a crash) replaces them.
    /// </summary>
    Task WriteAsync(string sweepId, int run, int attempt, int from, IReadOnlyList<EpochRecord> epochs, CancellationToken cancellationToken = default);

    /// <summary>The attempt's first <paramref name="count"/> epochs, in order, in one call (fewer if fewer are stored).</summary>
    Task<List<EpochRecord>> ReadAsync(string sweepId, int run, int attempt, int count, CancellationToken cancellationToken = default);

    /// <summary>Deletes the series of the run's attempts 1 to <paramref name="attempts"/> (a deleted run: its state says how many it had).</summary>
    Task DeleteAsync(string sweepId, int run, int attempts, CancellationToken cancellationToken = default);
}
