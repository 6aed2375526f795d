namespace ExperimentCluster.Training.Engine;

internal static class TrainingEngineFactory
{
    public static ITrainingEngine Create(TrainingSpec spec) => throw new NotImplementedException();
}
