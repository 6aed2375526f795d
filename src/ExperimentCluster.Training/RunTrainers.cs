using ExperimentCluster.Training.Data;

namespace ExperimentCluster.Training;

/// <summary>The only place a run's kind becomes a trainer. A sweep's strategy names a kind when it asks for a measurement
/// run; every other run is a training run.</summary>
public static class RunTrainers
{
    public const string Train = "train";

    public static IReadOnlyList<string> Kinds { get; } = [Train, LrRangeTestTrainer.Kind];

    /// <summary>A fresh run, or one continued from <paramref name="checkpoint"/>. Throws <see cref="SpecException"/> for a
    /// spec the data cannot train, <see cref="ArgumentException"/> for an unknown kind or bad settings, and
    /// <see cref="InvalidDataException"/> for a checkpoint of something else.
    /// <paramref name="files"/> is the silo's rule for data files; every kind reads its data through it.</summary>
    public static IRunTrainer Create(string? kind, TrainingSpec spec, IReadOnlyDictionary<string, double>? settings, byte[]? checkpoint, DataFiles files) => kind switch
    {
        null or Train => checkpoint is null ? Trainer.Create(spec, files) : Trainer.Restore(spec, checkpoint, files),
        LrRangeTestTrainer.Kind => LrRangeTestTrainer.Create(spec, LrRangeTestSettings.From(settings), checkpoint, files),
        _ => throw new ArgumentException($"unknown run kind '{kind}' (known: {string.Join(", ", Kinds)})", nameof(kind)),
    };
}
