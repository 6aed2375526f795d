using System.Text.Json.Nodes;

namespace ExperimentCluster.SweepModel;

/// <summary>Which finished runs keep their last checkpoint (the sweep file's <c>keep_checkpoints</c>).</summary>
public enum KeepCheckpoints
{
    /// <summary>The run with the lowest final validation loss keeps its checkpoint (a checkpoint is the final state;
    /// Aggregation.CheckpointOrder); the others' are dropped as they finish.</summary>
    Best,

    /// <summary>Every finished run's checkpoint is dropped.</summary>
    None,

    /// <summary>Every finished run keeps its checkpoint (storage then grows with runs times parameters).</summary>
    All,
}

/// <summary>Reads <c>keep_checkpoints: none | best | all</c> (default best).</summary>
public static class KeepCheckpointsSetting
{
    public const string Key = "keep_checkpoints";

    public static KeepCheckpoints Parse(JsonNode? node) => node switch
    {
        null => KeepCheckpoints.Best,
        JsonValue v when v.TryGetValue<string>(out var s) => s switch
        {
            "best" => KeepCheckpoints.Best,
            "none" => KeepCheckpoints.None,
            "all" => KeepCheckpoints.All,
            _ => throw new SweepException(Key, $"'{s}' is not a choice; expected none, best or all"),
        },
        _ => throw new SweepException(Key, "must be one of the strings none, best or all"),
    };
}
