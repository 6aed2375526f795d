namespace ExperimentCluster.Contracts;

/// <summary>The aggregate of a sweep: leaderboard of the training runs (best first), per-value summaries, the search's own
/// explanation, the measurement runs the search asked for (range tests), in run order, and the one sentence that answers
/// the sweep's question (SweepAnswer in Tuning) with the configuration it names, and why the best won (axes, importance,
/// best-so-far); those null from a grain of an older version.</summary>
[GenerateSerializer, Immutable, Alias("SweepResults")]
public sealed record SweepResults(
    [property: Id(0)] SweepView Sweep,
    [property: Id(1)] IReadOnlyList<RunView> Leaderboard,
    [property: Id(2)] IReadOnlyList<ValueSummaryView> PerValue,
    [property: Id(3)] string Explanation,
    [property: Id(4)] string SpecJson,
    [property: Id(5)] IReadOnlyList<RunView>? Measurements = null,
    [property: Id(6)] string? Answer = null,
    [property: Id(7)] SweepInsightView? Insight = null,
    // The runs of earlier sweeps it was warm-started from, each under its own sweep's id and number (not in the leaderboard).
    [property: Id(8)] IReadOnlyList<RunView>? Reused = null,
    // The configuration the answer names (the replicate seed left out); null while it names none. The leaderboard ranks
    // runs by their best loss at any epoch, the answer configurations by their final loss: a run can lead the first
    // and lose the second (a loss that rose at the end), and what a script retrains must be what the answer says won.
    [property: Id(9)] IReadOnlyDictionary<string, string>? BestConfiguration = null,
    // Set by the HTTP API only (SiloReach): the answer's next step with the options that reach the silo serving it; the
    // answer then leaves out its own, which names the default data folder.
    [property: Id(10)] string? NextStep = null,
    // The sweep's time budget and the running time used of it; null without one.
    [property: Id(11), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] TimeBudgetView? TimeBudget = null);
