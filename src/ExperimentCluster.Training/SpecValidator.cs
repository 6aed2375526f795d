namespace ExperimentCluster.Training;

internal static class SpecValidator
{
    public static void Validate(TrainingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
    }
}
