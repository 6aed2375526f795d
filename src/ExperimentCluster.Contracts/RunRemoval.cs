namespace ExperimentCluster.Contracts;

/// <summary>
/// What clearing one run removed from storage: its epochs (the trajectory of its latest attempt and of every earlier
/// one), whether it had a checkpoint, and the characters of its kept log. All zero for a run that stored nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("RunRemoval")]
public sealed record RunRemoval(
    [property: Id(0)] long Epochs,
    [property: Id(1)] int EarlierAttempts,
    [property: Id(2)] bool Checkpoint,
    [property: Id(3)] long LogChars)
{
    public static RunRemoval None { get; } = new(0, 0, false, 0);
}
