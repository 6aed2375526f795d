using ExperimentCluster.Training.Engine;

namespace ExperimentCluster.Training;

/// <summary>
/// Smith's learning-rate range test: one short run whose learning rate grows exponentially per mini-batch from
/// <c>minLearningRate</c> to <c>maxLearningRate</c>, stopped when the loss explodes.
/// </summary>
public static class LrRangeTest
{
    public static LrRangeResult Run(TrainingSpec spec, double minLearningRate = 1e-6, double maxLearningRate = 10, int steps = 100)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!(minLearningRate > 0) || !double.IsFinite(minLearningRate))
            throw new SpecException("min_learning_rate", "must be a positive finite number");
        if (!(maxLearningRate > minLearningRate) || !double.IsFinite(maxLearningRate))
            throw new SpecException("max_learning_rate", "must be a finite number above the minimum");
        if (steps < 5)
            throw new SpecException("steps", "must be at least 5");
        spec.Validate();
        return TrainingEngineFactory.Create(spec).RangeTest(minLearningRate, maxLearningRate, steps);
    }
}
