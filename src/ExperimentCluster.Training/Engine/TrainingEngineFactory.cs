namespace ExperimentCluster.Training.Engine;

internal static class TrainingEngineFactory
{
    /// <summary>The engine for the spec's number type; the spec must already be valid.</summary>
    public static ITrainingEngine Create(TrainingSpec spec) => spec.Precision switch
    {
        "float32" => new TrainingEngine<float>(spec),
        "float64" => new TrainingEngine<double>(spec),
        _ => throw new SpecException("precision", $"unknown precision '{spec.Precision}' (known: float32, float64)"),
    };
}
