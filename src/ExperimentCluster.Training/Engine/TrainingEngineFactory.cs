using ExperimentCluster.Training.Data;

namespace ExperimentCluster.Training.Engine;

internal static class TrainingEngineFactory
{
    /// <summary>The engine for the spec's number type; the spec must already be valid.</summary>
    public static ITrainingEngine Create(TrainingSpec spec, DataFiles files) => spec.Precision switch
    {
        "float32" => new TrainingEngine<float>(spec, files),
        "float64" => new TrainingEngine<double>(spec, files),
        _ => throw new SpecException("precision", $"unknown precision '{spec.Precision}' (known: float32, float64)"),
    };
}
