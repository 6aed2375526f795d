namespace ExperimentCluster.Tuning;

/// <summary>Tree-structured Parzen Estimator (Bergstra et al. 2011, as Optuna implements it).</summary>
public sealed class TpeSearch(int startupTrials = 10, double gamma = 0.1, int candidates = 24, double priorWeight = 1.0) : ISearchStrategy
{
    public int StartupTrials { get; } = startupTrials;

    public double Gamma { get; } = gamma;

    public int Candidates { get; } = candidates;

    public double PriorWeight { get; } = priorWeight;

    public void Validate(SearchSpace space) => ArgumentNullException.ThrowIfNull(space);

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Suggest(SearchContext context, int count) => throw new NotImplementedException();

    public bool IsFinished(SearchContext context) => Budget.Spent(context);

    public string Explain(SearchContext context) => throw new NotImplementedException();

    internal static TpeSearch FromSettings(Settings settings) => new(
        settings.Int("n_startup", 10, v => v >= 1, "at least 1"),
        settings.Double("gamma", 0.1, v => v > 0 && v < 1, "between 0 and 1"),
        settings.Int("n_candidates", 24, v => v >= 1, "at least 1"),
        settings.Double("prior_weight", 1.0, v => v > 0, "positive"));
}
