namespace ExperimentCluster.Training.Schedules;

/// <summary>
/// Cosine annealing (Loshchilov and Hutter, 2017) without restarts: from the rate at epoch 0 down to the floor at
/// <c>epochs</c>, half-way at the middle. The floor keeps the last epochs learning instead of stalling at zero.
/// </summary>
internal sealed class CosineSchedule(double rate, double floor, double epochs) : ISchedule
{
    public double LearningRate(long step, int stepsPerEpoch)
    {
        var progress = Math.Min(1.0, (double)step / stepsPerEpoch / epochs);
        return floor + ((rate - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
