namespace ExperimentCluster.Grains;

/// <summary>Grains know only the storage name; the silo decides whether it is SQLite or Redis.</summary>
public static class StorageNames
{
    public const string Experiments = "experiments";
}
