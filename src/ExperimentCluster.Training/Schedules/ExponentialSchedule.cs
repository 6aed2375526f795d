namespace ExperimentCluster.Training.Schedules;

/// <summary>rate · gamma^epoch, with the epoch counted continuously, so the decay is smooth across the steps of an epoch.</summary>
internal sealed class ExponentialSchedule(double rate, double gamma) : ISchedule
{
    public double LearningRate(long step, int stepsPerEpoch) => rate * Math.Pow(gamma, (double)step / stepsPerEpoch);
}
