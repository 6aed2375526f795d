namespace ExperimentCluster.Grains.Tests.Storage;

public sealed record SampleSpec(double LearningRate, int Layers);
