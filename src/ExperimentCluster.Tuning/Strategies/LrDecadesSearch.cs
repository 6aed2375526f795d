namespace ExperimentCluster.Tuning;

/// <summary>The classic learning-rate search by decades.</summary>
public sealed class LrDecadesSearch(string parameter = "learning_rate", double start = 0.01, double resolution = 0.25, string combine = "median") : ISearchStrategy
{
    public string ParameterName { get; } = parameter;

    public double Start { get; } = start;

    public double Resolution { get; } = resolution;

    public string Combine { get; } = combine;

    public void Validate(SearchSpace space) => throw new NotImplementedException();

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Suggest(SearchContext context, int count) => throw new NotImplementedException();

    public bool IsFinished(SearchContext context) => throw new NotImplementedException();

    public string Explain(SearchContext context) => throw new NotImplementedException();

    internal static LrDecadesSearch FromSettings(Settings settings) => new(
        settings.String("parameter", "learning_rate"),
        settings.Double("start", 0.01, v => v > 0, "positive"),
        settings.Double("resolution", 0.25, v => v > 0 && v <= 1, "in (0, 1] decades"),
        settings.String("combine", "median", "median", "best"));
}
