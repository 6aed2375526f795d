namespace ExperimentCluster.Contracts;

/// <summary>
/// The coordinator of one sweep, keyed by the sweep id. Calls flow one way: the sweep only starts or wakes runs
/// (calls that return at once); runs report to the sweep and get the decision to go on or stop as the reply.
/// </summary>
[Alias("ISweepGrain")]
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>Validates the sweep file (JSON) and starts it. Idempotent for the same file; an error names the field.</summary>
    [Alias("Submit")]
    Task<SubmitResult> SubmitAsync(string sweepJson);

    [Alias("Report")]
    Task<RunDecision> ReportAsync(RunReport report);

    /// <summary>Several epochs of one running run, in order, as if reported one by one: stops at the first answer that says
    /// stop. A run whose trial reports faster than it can write and ask one epoch at a time sends what has piled up.</summary>
    [Alias("ReportEpochs")]
    Task<EpochsDecision> ReportEpochsAsync(IReadOnlyList<RunReport> reports);

    /// <summary>Asked by a run about to store its final state: would the sweep's <c>keep_checkpoints</c> keep the checkpoint
    /// of a run that finishes as <paramref name="final"/> says? A run told no stores no final checkpoint (and drops its
    /// older ones), instead of storing one that the sweep has it drop right after. Changes nothing in the sweep.</summary>
    [Alias("KeepsCheckpoint"), AlwaysInterleave]
    Task<bool> KeepsCheckpointAsync(RunReport final);

    /// <summary>Stops every running run at its next chunk; nothing new starts. Survives restarts.</summary>
    [Alias("Cancel")]
    Task<SweepView> CancelAsync();

    /// <summary>Wakes every unfinished run from its last checkpoint and carries on with the search; continues a paused sweep.</summary>
    [Alias("Resume")]
    Task<SweepView> ResumeAsync();

    /// <summary>Changes a running sweep (budget, concurrency, a range, listed values, the stopping rule's settings; see
    /// SweepEdit for the document). Every change is stored as an event; a bad edit answers the field and changes nothing.</summary>
    [Alias("Edit")]
    Task<SweepEditResult> EditAsync(string editJson);

    /// <summary>The sweep's edits and the runs outside its current space; null for an unknown sweep.</summary>
    [Alias("GetEdits")]
    Task<SweepEditLog?> GetEditsAsync();

    /// <summary>Checkpoints and stops every running run (they end Paused, not finished) and starts nothing new until
    /// <see cref="ResumeAsync"/>. Survives restarts and silo kills. A finished sweep answers an error, a paused one a note.</summary>
    [Alias("Pause")]
    Task<SweepChange> PauseAsync();

    /// <summary>Trains the chosen finished runs again from scratch as a new attempt (same configuration and seed), keeping
    /// the old attempt in the run's history; reopens a finished sweep. Any bad choice is an error and changes nothing.</summary>
    [Alias("Retry")]
    Task<SweepChange> RetryAsync(RetryRequest request);

    /// <summary>Removes the sweep, its runs (trajectories, checkpoints, logs, earlier attempts) and its index entry from
    /// storage; a running sweep is refused. Idempotent: asked again after a crash half-way, it finishes.</summary>
    [Alias("Delete")]
    Task<SweepDeletion> DeleteAsync();

    [Alias("GetState"), AlwaysInterleave]
    Task<SweepView?> GetState();

    [Alias("GetResults")]
    Task<SweepResults?> GetResultsAsync();

    /// <summary>Live events after a sequence number (for watchers); the buffer is in memory and bounded.</summary>
    [Alias("GetEvents"), AlwaysInterleave]
    Task<SweepEvents?> GetEventsAsync(long afterSequence, int max);
}
