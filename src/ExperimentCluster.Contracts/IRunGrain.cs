namespace ExperimentCluster.Contracts;

/// <summary>
/// One training run, keyed "{sweepId}/{number}". Every call returns at once: training happens in a background
/// loop in bounded chunks, and the run reports each chunk to its sweep.
/// </summary>
[Alias("IRunGrain")]
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>Persists the run and starts training. Idempotent: a run that exists keeps its own settings and is only woken.</summary>
    [Alias("Start")]
    Task<RunView> StartAsync(RunStart start);

    /// <summary>Makes sure an unfinished run is training (after a crash, a restart or a resume).</summary>
    [Alias("Wake")]
    Task<RunView> WakeAsync();

    /// <summary>Stops at the next chunk boundary, keeping the partial trajectory.</summary>
    [Alias("Stop"), AlwaysInterleave]
    Task StopAsync(RunStatus status, string reason);

    /// <summary>Stops any training and removes every stored state of the run (its sweep is being deleted); then deactivates.</summary>
    [Alias("Clear")]
    Task<RunRemoval> ClearAsync();

    /// <summary>Null for a run that was never started. Named GetState so that the Orleans dashboard's grain-state viewer shows it; cheap and interleaving.</summary>
    [Alias("GetState"), AlwaysInterleave]
    Task<RunView?> GetState();

    /// <summary>Settings and trajectory, downsampled to at most maxPoints epochs (0: all).</summary>
    [Alias("GetDetail"), AlwaysInterleave]
    Task<RunDetail?> GetDetailAsync(int maxPoints);

    /// <summary>The run's kept output from <paramref name="from"/> (a command trial's log lines and the silo's notes about its
    /// process; empty for the built-in trainer), at most <paramref name="maxChars"/> characters.</summary>
    [Alias("GetLog"), AlwaysInterleave]
    Task<RunLog> GetLogAsync(long from, int maxChars);

    /// <summary>The model the run's stored checkpoint holds (<see cref="RunModel"/>); null for a run that was never started.
    /// Interleaves with training: it reads the stored checkpoint, never the one being taken.</summary>
    [Alias("GetModel"), AlwaysInterleave]
    Task<RunModel?> GetModelAsync();

    /// <summary>A finished run drops its checkpoint (the sweep keeps it only as keep_checkpoints says); an unfinished run ignores this.</summary>
    [Alias("DropCheckpoint")]
    Task DropCheckpointAsync();
}
