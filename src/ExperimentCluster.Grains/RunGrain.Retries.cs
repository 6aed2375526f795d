using ExperimentCluster.Contracts;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace ExperimentCluster.Grains;

/// <summary>
/// How a run rides out an outage: its writes and store reads are retried while the store is away, its reports while the
/// sweep is unreachable. Only a cancellation of the run's own token (a deactivation, a stop) ends the waiting early.
/// </summary>
public sealed partial class RunGrain
{
    /// <summary>
    /// Writes the state, retrying while the store is unreachable (a Redis restart drops the writes in flight): a
    /// storage outage pauses the run instead of failing it. A retried write that had in fact landed surfaces as an
    /// ETag conflict, which the writer recovers from (<see cref="RecoveringState{T}"/>).
    /// </summary>
    private Task WriteAsync(CancellationToken cancellationToken) =>
        WhileStoreAwayAsync("writing its state", async () =>
        {
            // The checkpoint and the new epochs go to their stores side by side (each is a round trip, and a commit on
            // PostgreSQL); the state that names them is written only once both are in.
            await Task.WhenAll(StoreCheckpointAsync(cancellationToken), StoreTrajectoryAsync(cancellationToken));
            await _writer.WriteAsync(cancellationToken);
            await SaveLogAsync(force: false);
            await DropOlderCheckpointsAsync();
            return true;
        }, cancellationToken);

    /// <summary>Calls a store until it answers, for about two minutes (30 tries, 1-5 s apart); a conflict is not retried here.</summary>
    private async Task<T> WhileStoreAwayAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (e is not InconsistentStateException && IsStoreOrCallFailure(e, cancellationToken) && attempt < 30)
            {
                logger.LogWarning("Run {Sweep}/{Number}: {What} failed ({Message}); retrying", State.SweepId, State.Number, what, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), cancellationToken);
            }
        }
    }

    /// <summary>
    /// A failure to retry: anything but a cancellation of the run's own token. The Redis client cancels the commands in
    /// flight when its connection drops (a TaskCanceledException, seen when Redis was stopped mid-sweep), which is an
    /// outage like any other and must pause the run, not fail it.
    /// </summary>
    private static bool IsStoreOrCallFailure(Exception e, CancellationToken cancellationToken) =>
        e is not OperationCanceledException || !cancellationToken.IsCancellationRequested;

    private RunReport EpochReport(EpochRecord record) =>
        new(State.Number, record, RunStatus.Running, null, null, State.Silo, State.Resumes, null, State.Attempt);

    /// <summary>Several epochs in one question (see <see cref="ISweepGrain.ReportEpochsAsync"/>).</summary>
    private async Task<EpochsDecision> ReportEpochsAsync(List<RunReport> reports, CancellationToken cancellationToken) =>
        reports.Count == 1
            ? new EpochsDecision(await ReportAsync(reports[0], cancellationToken), 1)
            : await UntilAnsweredAsync(sweep => sweep.ReportEpochsAsync(reports), cancellationToken);

    private Task<RunDecision> ReportAsync(RunReport report, CancellationToken cancellationToken) =>
        UntilAnsweredAsync(sweep => sweep.ReportAsync(report), cancellationToken);

    /// <summary>Asks until the sweep answers: while a silo dies the sweep may be briefly unreachable.</summary>
    private async Task<T> UntilAnsweredAsync<T>(Func<ISweepGrain, Task<T>> ask, CancellationToken cancellationToken)
    {
        var sweep = GrainFactory.Sweep(State.SweepId!);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await ask(sweep);
            }
            catch (Exception e) when (IsStoreOrCallFailure(e, cancellationToken) && attempt < 60)
            {
                logger.LogWarning("Run {Sweep}/{Number}: report failed ({Message}); retrying", State.SweepId, State.Number, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * (attempt + 1))), cancellationToken);
            }
        }
    }
}
