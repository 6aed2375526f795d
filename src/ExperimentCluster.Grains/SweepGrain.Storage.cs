using Orleans.Storage;

namespace ExperimentCluster.Grains;

/// <summary>
/// How a sweep stores itself: its runs' summaries in buckets (SweepRunBuckets), written when they change and before the
/// sweep's own state, so that a write's cost does not grow with the sweep; ETag conflicts recovered as RecoveringState says.
/// </summary>
public sealed partial class SweepGrain
{
    // An ETag conflict (Redis lost its newest writes) is recovered by writing this sweep's state again; a stored state
    // that knows more (another activation's) ends this activation, and the next call loads it (ConflictRules.Sweep). Its
    // runs stay this activation's until then: the stored state carries none (they are in the buckets).
    private readonly RecoveringState<SweepState> _header = new(context, store, "sweep", (stored, mine) =>
    {
        var next = ConflictRules.Sweep(stored, mine);
        if (next is null)
            stored.Runs = mine.Runs;
        return next;
    }, logger, () => context.Deactivate(StoredIsFurther));

    private static readonly DeactivationReason StoredIsFurther = new(DeactivationReasonCode.ApplicationRequested, "the stored sweep is further than this activation");

    private readonly SweepRunBuckets _buckets = new(context, context.GrainId.Key.ToString()!, logger);
    private CoalescedWrites? _coalesced;

    private CoalescedWrites Writes => _coalesced ??= new CoalescedWrites(WriteStateAsync);

    /// <summary>The runs' buckets that changed (every unfinished run's among them), then the sweep's state: SweepRunBuckets says why in that order.</summary>
    private async Task WriteStateAsync()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (var number in _open.Numbers)
            _buckets.Touch(number);
        if (!await _buckets.WriteAsync(State.Runs))
        {
            context.Deactivate(StoredIsFurther);
            throw new InconsistentStateException($"sweep '{Id}': a stored bucket of its runs is further than this activation");
        }
        State.RunCount = State.Runs.Count;
        State.InlineRuns = null;
        State.SchemaVersion = SweepState.CurrentSchemaVersion;
        CountRunningTime();
        await _header.WriteAsync();
        ExperimentMetrics.CoordinatorFlushed(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, State.Runs.Count);
    }

    /// <summary>The runs from their buckets, or from a state of schema 1 that still holds them inline (moved on the next write).</summary>
    private async Task LoadRunsAsync()
    {
        State.Runs = await _buckets.ReadAsync();
        if (State.Runs.Count == 0 && State.InlineRuns is { Count: > 0 } inline)
        {
            State.Runs = inline;
            _buckets.TouchAll(inline.Count);
        }
        _open.Rebuild(State.Runs);
    }
}
