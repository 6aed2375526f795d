namespace ExperimentCluster.Tuning;

/// <summary>A run a strategy asked for to inform its suggestions rather than to be scored (a learning-rate range test): its
/// kind, the configuration it measured, whether it has ended, and its result (null while it runs, or when it gave none).</summary>
public sealed record Measurement(string Kind, IReadOnlyDictionary<string, string> Config, bool Finished, double? Value);
