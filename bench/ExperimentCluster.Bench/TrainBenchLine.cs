namespace ExperimentCluster.Bench;

/// <summary>One model and batch size of `bench train --json`, with PyTorch's figure where one is known.</summary>
public sealed record TrainBenchLine(
    string Model,
    int BatchSize,
    double SamplesPerSecond,
    double SamplesPerCpuSecond,
    double? ValAccuracy,
    long AllocatedBytesPerRun,
    double? PytorchSamplesPerSecond,
    double? Ratio);
