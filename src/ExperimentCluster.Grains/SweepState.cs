using System.Text.Json.Serialization;
using ExperimentCluster.Contracts;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Grains;

/// <summary>
/// The state of one sweep (plain JSON). Trajectories live in the run grains; each run keeps its summary and only the
/// epoch values that the early-stopping rule and the search strategy read (with the report order, so that the rule's
/// decisions replay exactly after a restart). The runs are stored in buckets beside this state
/// (<see cref="SweepRunBuckets"/>, schema 2), so that what a flush writes does not grow with the sweep; schema 1 kept them
/// inline.
/// </summary>
public sealed class SweepState
{
    public const int CurrentSchemaVersion = 2;

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string? Id { get; set; }

    public string? Name { get; set; }

    /// <summary>The sweep file as submitted: the search's inputs are this file plus the runs below.</summary>
    public string? SweepJson { get; set; }

    /// <summary>The sweep file after its edits (null before the first); the file as submitted stays in SweepJson.</summary>
    public string? EditedJson { get; set; }

    /// <summary>Every change made to the running sweep, in order (SweepGrain.Edits.cs).</summary>
    public List<SweepEditEvent> Edits { get; set; } = [];

    public SweepStatus Status { get; set; }

    public int PlannedRuns { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Why a failed sweep failed (its strategy's reason), or why a completed one ended before its plan (its time
    /// budget ran out); null otherwise.</summary>
    public string? Reason { get; set; }

    /// <summary>How long the sweep has been running in a process that trains it, paused and down time left out: what its
    /// <c>time_budget</c> is counted against (SweepGrain.TimeBudget.cs).</summary>
    public double RunningSeconds { get; set; }

    public long NextSequence { get; set; }

    public long EpochsReported { get; set; }

    /// <summary>Events numbered for runs before they were retried (their epochs and finish, and the retry): a new
    /// activation numbers on from here too, so that a watcher's numbers never go back after a retry.</summary>
    public long RetriedEvents { get; set; }

    /// <summary>The runs, in number order: stored in buckets of their own (SweepRunBuckets), not in this state.</summary>
    [JsonIgnore]
    public List<SweepRun> Runs { get; set; } = [];

    /// <summary>Schema 1 only: the runs inline. Read to migrate (written to buckets on the next flush), never written.</summary>
    [JsonPropertyName("Runs")]
    public List<SweepRun>? InlineRuns { get; set; }

    /// <summary>How many runs the buckets held at the last write (the conflict rule compares it); the buckets may hold more
    /// after a crash between their write and this state's.</summary>
    public int RunCount { get; set; }

    /// <summary>The runs of earlier sweeps this one took as history at submission (warm_start); null without a warm start.</summary>
    public List<WarmStartRun>? WarmStart { get; set; }

    /// <summary>Set and stored before a delete removes anything (SweepGrain.Delete.cs): a delete cut short by a crash is
    /// finished by the next one (or by a new submission under the id); meanwhile the sweep is gone for every other call.</summary>
    public bool Deleting { get; set; }

    /// <summary>Whether anything of the sweep is stored, a sweep being deleted included.</summary>
    public bool Stored => SweepJson is not null;

    public bool Exists => Stored && !Deleting;
}

/// <summary>One run as its sweep remembers it.</summary>
public sealed class SweepRun
{
    public int Number { get; set; }

    public Dictionary<string, string> Config { get; set; } = [];

    /// <summary>
    /// A measurement run's kind (what the strategy asked for, such as a learning-rate range test) and its settings; null
    /// for a training run. Measurement runs take slots like any run but are not scored, ranked or stopped by the rule.
    /// </summary>
    public string? Kind { get; set; }

    public Dictionary<string, double>? KindSettings { get; set; }

    /// <summary>A finished measurement's result, which the strategy reads from the history.</summary>
    public double? Result { get; set; }

    public RunStatus Status { get; set; }

    /// <summary>
    /// Whether the sweep has started the run. All seeds of a configuration are created together, but only as
    /// many start as the concurrency limit allows; the rest wait here.
    /// </summary>
    public bool Started { get; set; }

    public string? Reason { get; set; }

    public int Epochs { get; set; }

    public double? BestValLoss { get; set; }

    public double? FinalValLoss { get; set; }

    public double? FinalValAccuracy { get; set; }

    /// <summary>The epoch whose weights a completed run ended with when not its last (patience); its values are the
    /// final ones. Null otherwise.</summary>
    public int? ModelEpoch { get; set; }

    public int? DivergedAtEpoch { get; set; }

    public string? Silo { get; set; }

    public int Resumes { get; set; }

    /// <summary>1, then one more each time the run is retried: reports of an older attempt are ignored.</summary>
    public int Attempt { get; set; } = 1;

    public List<RungValue> Values { get; set; } = [];
}
