namespace ExperimentCluster.Training.Schedules;

/// <summary>
/// The learning rate of each optimizer step. Schedules are pure functions of the step number, so a restored run needs
/// no schedule state. <paramref name="stepsPerEpoch"/> converts steps into (fractional) epochs, the unit of every setting.
/// </summary>
internal interface ISchedule
{
    /// <param name="step">0-based count of steps taken before this one.</param>
    /// <param name="stepsPerEpoch">Mini-batches per epoch.</param>
    double LearningRate(long step, int stepsPerEpoch);
}
