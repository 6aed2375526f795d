using ExperimentCluster.CommandTrials;
using ExperimentCluster.Training;

namespace ExperimentCluster.Grains;

/// <summary>A command trial's reports as the run grain's chunks: the objective goes where the built-in trainer puts its
/// validation loss, so every strategy, rule and view works on it unchanged.</summary>
internal sealed class CommandChunks(CommandTrialRun trial, CancellationToken cancellationToken) : IRunChunks
{
    private Divergence? _divergence;

    public RunEnd End => new(_divergence is null ? TrainingStatus.Completed : TrainingStatus.Diverged, _divergence, null, null);

    public async Task<TrainedEpoch?> NextAsync()
    {
        var epoch = await trial.NextAsync(cancellationToken);
        return epoch is null ? null : Chunk(epoch);
    }

    public bool TryNext([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TrainedEpoch? chunk)
    {
        chunk = trial.TryNext(out var epoch) ? Chunk(epoch) : null;
        return chunk is not null;
    }

    private TrainedEpoch Chunk(TrialEpoch epoch)
    {
        if (epoch.Diverged is { } why)
            _divergence = new Divergence(epoch.Epoch, epoch.Epoch, epoch.Loss, why);
        var metrics = new EpochMetrics(epoch.Epoch, epoch.TrainLoss, epoch.Loss, epoch.ValAccuracy, epoch.LearningRate, epoch.Seconds, epoch.Epoch);
        return new TrainedEpoch(metrics, epoch.Checkpoint, epoch.Last);
    }

    public Task StopAsync() => trial.StopAsync();

    public Task LeaveAsync() => trial.StopAsync();
}
