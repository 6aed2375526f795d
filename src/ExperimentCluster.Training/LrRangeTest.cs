using ExperimentCluster.Training.Engine;

namespace ExperimentCluster.Training;

/// <summary>
/// Smith's learning-rate range test: one short run whose learning rate grows exponentially per mini-batch from
/// <c>minLearningRate</c> to <c>maxLearningRate</c>, stopped when the loss explodes. It uses the spec's data, model,
/// optimizer (with its momentum or moments), batch size and seed. Bad range arguments throw ArgumentOutOfRangeException;
/// a bad spec throws SpecException.
/// </summary>
public static class LrRangeTest
{
    public static LrRangeResult Run(TrainingSpec spec, double minLearningRate = 1e-6, double maxLearningRate = 10, int steps = 100)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!(minLearningRate > 0) || !double.IsFinite(minLearningRate))
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "must be a positive finite number");
        if (!(maxLearningRate > minLearningRate) || !double.IsFinite(maxLearningRate))
            throw new ArgumentOutOfRangeException(nameof(maxLearningRate), maxLearningRate, "must be a finite number above the minimum");
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 5);
        // The spec's learning rate and schedule are ignored: the test sets the rate of every step itself.
        spec.Validate();
        return TrainingEngineFactory.Create(spec).RangeTest(minLearningRate, maxLearningRate, steps);
    }
}
