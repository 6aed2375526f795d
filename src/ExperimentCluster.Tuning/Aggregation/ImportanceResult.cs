namespace ExperimentCluster.Tuning;

/// <summary>How much one swept hyperparameter mattered: its share of the total importance (the shares sum to 1).</summary>
public sealed record ParameterImportance(string Parameter, double Share);

/// <summary>
/// The importance of the swept hyperparameters (see <see cref="HyperparameterImportance"/>), largest share first; or,
/// when the runs cannot tell yet, no shares and <see cref="Reason"/> saying why (e.g. not enough finished runs).
/// </summary>
public sealed record ImportanceResult(IReadOnlyList<ParameterImportance> Parameters, string? Reason)
{
    /// <summary>The method's name as the CLI, the API and the page show it.</summary>
    public const string Method = "ped-anova";

    public static ImportanceResult Unknown(string reason) => new([], reason);
}
