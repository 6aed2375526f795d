namespace ExperimentCluster.Tuning;

/// <summary>One swept option, by the name the trainer knows it by (<c>learning_rate</c>, <c>hidden_layers</c>, <c>activation</c>).</summary>
public sealed record Parameter(string Name, Domain Domain);
