using ExperimentCluster.Training.Data;

namespace ExperimentCluster.Training;

/// <summary>
/// Smith's learning-rate range test in one call (`excl lr-find`): a <see cref="LrRangeTestTrainer"/> run to its end. Bad
/// range arguments throw ArgumentOutOfRangeException; a bad spec throws SpecException.
/// </summary>
public static class LrRangeTest
{
    public static LrRangeResult Run(TrainingSpec spec, double minLearningRate = 1e-6, double maxLearningRate = 10, int steps = 100, DataFiles? files = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var test = LrRangeTestTrainer.Create(spec, new LrRangeTestSettings(minLearningRate, maxLearningRate, steps), files: files);
        while (test.Status == TrainingStatus.Running)
            test.TrainChunk(CancellationToken.None);
        return new LrRangeResult(test.Points, test.Result ?? double.NaN, test.ResultNote!);
    }
}
