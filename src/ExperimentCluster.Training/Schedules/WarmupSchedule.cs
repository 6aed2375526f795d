namespace ExperimentCluster.Training.Schedules;

/// <summary>
/// Linear warmup in front of another schedule: over the first <c>warmupEpochs</c> the rate climbs in equal steps to
/// the inner schedule's starting rate (step s of W gets (s + 1) / W of it, so no step is wasted at zero); then the
/// inner schedule runs from its own epoch 0, over the epochs that remain. Large early steps from random weights are
/// what warmup avoids, Adam's in particular.
/// </summary>
internal sealed class WarmupSchedule(ISchedule inner, double warmupEpochs) : ISchedule
{
    public double LearningRate(long step, int stepsPerEpoch)
    {
        var warmupSteps = Math.Max(1, (long)Math.Ceiling(warmupEpochs * stepsPerEpoch));
        return step < warmupSteps
            ? inner.LearningRate(0, stepsPerEpoch) * (step + 1) / warmupSteps
            : inner.LearningRate(step - warmupSteps, stepsPerEpoch);
    }
}
