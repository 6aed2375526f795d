using System.Text.Json.Serialization;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains;

/// <summary>
/// The stored state of one run (plain JSON). The trajectory's length and the checkpoint's key are written together, so a
/// run resumed from its checkpoint never has metrics the checkpoint does not cover, or the other way round. The
/// checkpoint's bytes and the epochs live in their stores (see RunGrain.Checkpoints.cs, RunGrain.Trajectories.cs);
/// version 1 states held both here, version 2 the epochs.
/// </summary>
public sealed class RunState
{
    /// <summary>2: the checkpoint moved out to the checkpoint store (<see cref="CheckpointKey"/>); 3: the trajectory to the
    /// trajectory store (<see cref="MetricsCount"/>).</summary>
    public const int CurrentSchemaVersion = 3;

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string? SweepId { get; set; }

    public int Number { get; set; }

    public string SpecJson { get; set; } = "";

    public Dictionary<string, string> Config { get; set; } = [];

    /// <summary>A measurement run's kind (a learning-rate range test) and its settings; null for a training run.</summary>
    public string? Kind { get; set; }

    public Dictionary<string, double>? KindSettings { get; set; }

    /// <summary>A finished measurement's result (a range test's suggested rate).</summary>
    public double? Result { get; set; }

    public RunStatus Status { get; set; }

    public string? Reason { get; set; }

    /// <summary>
    /// The trajectory: not stored here but in the trajectory store, appended an epoch at a time (see RunGrain.Trajectories.cs);
    /// read back on activation.
    /// </summary>
    [JsonIgnore]
    public List<EpochRecord> Metrics { get; set; } = [];

    /// <summary>Schema versions 1 and 2 only: the trajectory inline. Read to migrate (moved to the store on the next write), never written.</summary>
    [JsonPropertyName("Metrics")]
    public List<EpochRecord>? InlineMetrics { get; set; }

    /// <summary>How many epochs of the trajectory store's series of this attempt count (later ones were never confirmed).</summary>
    public int MetricsCount { get; set; }

    /// <summary>Schema version 1 only: the checkpoint's bytes. Read to migrate (moved to the store on the next write), never written.</summary>
    public byte[]? Checkpoint { get; set; }

    /// <summary>The checkpoint store's key of the trainer's checkpoint after the last chunk in Metrics (null before the first).</summary>
    public string? CheckpointKey { get; set; }

    /// <summary>The epoch (chunks done) the stored checkpoint was taken after: a resume starts there. Written with each put,
    /// read only while <see cref="CheckpointKey"/> names one. Null in states written before it was kept, whose checkpoint
    /// covered every epoch of the trajectory.</summary>
    public int? CheckpointEpoch { get; set; }

    /// <summary>How many checkpoints this run has stored, over all its attempts: the version of the next one is one more.</summary>
    public long CheckpointVersion { get; set; }

    public int? DivergedAtEpoch { get; set; }

    /// <summary>The epoch whose weights a completed run ended with, when not its last (a run with patience keeps its best
    /// epoch's): its final validation loss is that epoch's. Null otherwise.</summary>
    public int? ModelEpoch { get; set; }

    public long? DivergedAtStep { get; set; }

    public string? Silo { get; set; }

    /// <summary>How many times training continued from a checkpoint in a new activation (after a crash or a restart).</summary>
    public int Resumes { get; set; }

    /// <summary>1, then one more each time the sweep retries the run from scratch.</summary>
    public int Attempt { get; set; } = 1;

    /// <summary>The attempts a retry replaced, oldest first, with their whole trajectories (no checkpoints).</summary>
    public List<RunAttempt> EarlierAttempts { get; set; } = [];

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public bool Exists => SweepId is not null;
}
