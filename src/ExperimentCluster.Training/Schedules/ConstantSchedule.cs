namespace ExperimentCluster.Training.Schedules;

internal sealed class ConstantSchedule(double rate) : ISchedule
{
    public double LearningRate(long step, int stepsPerEpoch) => rate;
}
