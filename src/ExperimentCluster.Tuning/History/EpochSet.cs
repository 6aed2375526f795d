namespace ExperimentCluster.Tuning;

/// <summary>Sets of epochs whose values the coordinator records for the rule and the strategy (null means every epoch).</summary>
public static class EpochSet
{
    /// <summary>No epoch: the final value is all that is needed.</summary>
    public static readonly IReadOnlySet<int> None = new HashSet<int>();

    /// <summary>The epochs either of two readers needs (null, every epoch, when either needs every epoch).</summary>
    public static IReadOnlySet<int>? Union(IReadOnlySet<int>? a, IReadOnlySet<int>? b) =>
        a is null || b is null ? null
        : b.Count == 0 ? a
        : a.Count == 0 ? b
        : a.Union(b).ToHashSet();
}
