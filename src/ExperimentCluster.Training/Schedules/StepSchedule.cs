namespace ExperimentCluster.Training.Schedules;

/// <summary>Multiplies the rate by gamma every <c>stepEpochs</c> whole epochs; the drop lands on the first step of that epoch.</summary>
internal sealed class StepSchedule(double rate, int stepEpochs, double gamma) : ISchedule
{
    public double LearningRate(long step, int stepsPerEpoch)
    {
        var epoch = step / stepsPerEpoch;
        return rate * Math.Pow(gamma, epoch / stepEpochs);
    }
}
