using ExperimentCluster.Contracts;
using ExperimentCluster.SweepModel;
using ExperimentCluster.Tuning;
using Microsoft.Extensions.Logging;

namespace ExperimentCluster.Grains;

/// <summary>
/// The sweep's <c>keep_checkpoints</c>: as runs finish, the checkpoints it does not keep are dropped, so that a sweep's
/// storage grows with its trajectories, not with its runs times their parameters. Under best, of the finished runs only
/// the one with the lowest final validation loss (<see cref="Aggregation.CheckpointOrder"/>: a checkpoint is the final
/// state) holds a checkpoint at any time; each finish compares one run with that holder (two entries of that order),
/// never all the runs.
/// </summary>
public sealed partial class SweepGrain
{
    // The finished run that holds the one kept checkpoint under best; not stored: found again from the runs after an activation.
    private int? _checkpointHolder;

    /// <summary>A started run has finished: drops the checkpoints the sweep's setting does not keep (told to the runs, not awaited).</summary>
    private void DropUnkeptCheckpoints(SweepRun finished)
    {
        if (!finished.Started)
            return;
        if (KeptWithoutRanking(finished) is { } keep)
        {
            if (!keep)
                DropCheckpoint(finished.Number);
            return;
        }
        if (Holder(finished.Number) is not { } holder)
        {
            _checkpointHolder = finished.Number;
            return;
        }
        var ranked = Aggregation.CheckpointOrder([holder, SweepViews.Summary(finished)]);
        _checkpointHolder = ranked[0].Number;
        DropCheckpoint(ranked[1].Number);
    }

    public Task<bool> KeepsCheckpointAsync(RunReport final)
    {
        if (!State.Exists || final.Number < 0 || final.Number >= State.Runs.Count || State.Runs[final.Number] is not { } run
            || final.Attempt != run.Attempt)
            return Task.FromResult(false);
        if (KeptWithoutRanking(run) is { } keep)
            return Task.FromResult(keep);
        if (run.Status.IsFinished())
            return Task.FromResult(Holder(except: -1)?.Number == run.Number);
        // The same comparison DropUnkeptCheckpoints makes when the report arrives, with the run as the report will leave it.
        // The answer can only turn out wrong if the holder it beat is retried meanwhile: then the new best has no checkpoint.
        var summary = SweepViews.Summary(run) with
        {
            Status = final.Status.ToWord(),
            BestValLoss = final.Epoch is { } epoch ? BestWith(run.BestValLoss, epoch) : run.BestValLoss,
            FinalValLoss = (final.Model ?? final.Epoch)?.ValLoss ?? run.FinalValLoss,
            DivergedAtEpoch = final.DivergedAtEpoch ?? run.DivergedAtEpoch,
        };
        return Task.FromResult(Holder(run.Number) is not { } holder || Aggregation.CheckpointOrder([holder, summary])[0].Number == run.Number);
    }

    /// <summary>The settings that decide without ranking: all keeps, none drops, and a measurement (a range test, not on
    /// the leaderboard) drops; null under best.</summary>
    private bool? KeptWithoutRanking(SweepRun run) => (_definition?.KeepCheckpoints ?? KeepCheckpoints.Best) switch
    {
        KeepCheckpoints.All => true,
        KeepCheckpoints.None => false,
        _ when run.Kind is not null => false,
        _ => null,
    };

    /// <summary>Under best, the finished run other than <paramref name="except"/> that holds the kept checkpoint; null when none.</summary>
    private RunSummary? Holder(int except)
    {
        if (_checkpointHolder is { } held && (held == except || !State.Runs[held].Status.IsFinished()))
            _checkpointHolder = null;
        if (_checkpointHolder is { } holder)
            return SweepViews.Summary(State.Runs[holder]);
        var board = Aggregation.CheckpointOrder(State.Runs
            .Where(r => r.Kind is null && r.Started && r.Number != except && r.Status.IsFinished())
            .Select(SweepViews.Summary));
        var first = board.Count > 0 ? board[0] : null;
        _checkpointHolder = first?.Number;
        return first;
    }

    // Drops told and not yet done. The sweep cannot await a drop where it decides it: the run being dropped may be the one
    // whose report the sweep is answering, and that run waits for the answer. A delete and a deactivation await them, so a
    // delete counts only the checkpoints that are kept and a sweep never leaves with a drop half told (seen in CI: a delete
    // right after completion counted the loser's checkpoint).
    private readonly List<Task> _drops = [];

    private void DropCheckpoint(int number)
    {
        _drops.RemoveAll(t => t.IsCompleted);
        _drops.Add(DropCheckpointQuietlyAsync(number));
    }

    /// <summary>Waits for the drops already told (they never throw).</summary>
    private async Task CheckpointDropsDoneAsync()
    {
        while (_drops.Count > 0)
        {
            var told = _drops.ToArray();
            _drops.Clear();
            await Task.WhenAll(told);
        }
    }

    private async Task DropCheckpointQuietlyAsync(int number)
    {
        try
        {
            await GrainFactory.Run(Id, number).DropCheckpointAsync();
        }
        catch (Exception e)
        {
            // A checkpoint left behind costs space, not correctness.
            logger.LogWarning("Sweep {Sweep}: dropping run {Number}'s checkpoint failed: {Message}", Id, number, e.Message);
        }
    }
}
