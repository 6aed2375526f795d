using ExperimentCluster.Contracts;
using ExperimentCluster.SweepModel;
using ExperimentCluster.Tuning;
using Microsoft.Extensions.Logging;

namespace ExperimentCluster.Grains;

/// <summary>
/// The sweep's <c>keep_checkpoints</c>: as runs finish, the checkpoints it does not keep are dropped, so that a sweep's
/// storage grows with its trajectories, not with its runs times their parameters. Under best, of the finished runs only
/// the one the leaderboard ranks first holds a checkpoint at any time; each finish compares one run with that holder
/// (two entries of the leaderboard's order), never the whole board.
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
        switch (_definition?.KeepCheckpoints ?? KeepCheckpoints.Best)
        {
            case KeepCheckpoints.All:
                return;
            case KeepCheckpoints.None:
                DropCheckpoint(finished.Number);
                return;
        }
        // A measurement (a range test) is not on the leaderboard.
        if (finished.Kind is not null)
        {
            DropCheckpoint(finished.Number);
            return;
        }
        if (_checkpointHolder is { } held && (held == finished.Number || !State.Runs[held].Status.IsFinished()))
            _checkpointHolder = null;
        var holder = _checkpointHolder ?? Aggregation.Leaderboard(State.Runs
                .Where(r => r.Kind is null && r.Started && r.Number != finished.Number && r.Status.IsFinished())
                .Select(SweepViews.Summary))
            .Select(s => (int?)s.Number).FirstOrDefault();
        if (holder is null)
        {
            _checkpointHolder = finished.Number;
            return;
        }
        var ranked = Aggregation.Leaderboard([SweepViews.Summary(State.Runs[holder.Value]), SweepViews.Summary(finished)]);
        _checkpointHolder = ranked[0].Number;
        DropCheckpoint(ranked[1].Number);
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
