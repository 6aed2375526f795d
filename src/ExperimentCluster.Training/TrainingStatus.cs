namespace ExperimentCluster.Training;

public enum TrainingStatus
{
    Running,
    Completed,
    Diverged,
}
