namespace ExperimentCluster.Grains;

/// <summary>
/// Where a run grain takes its chunks from, in order: an in-process trainer on the training threads
/// (<see cref="EpochPipeline"/>) or the user's program (<see cref="CommandChunks"/>). The grain stores, reports and asks
/// the sweep the same way for both.
/// </summary>
internal interface IRunChunks
{
    /// <summary>The next chunk, or null when the run ended after the last one taken (see <see cref="End"/>). Throws what
    /// ended it otherwise (a failure, or cancellation on deactivation).</summary>
    Task<TrainedEpoch?> NextAsync();

    /// <summary>The next chunk if one is ready now (never waits): what piled up while the grain wrote and reported.</summary>
    bool TryNext([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TrainedEpoch? chunk);

    /// <summary>Stops at the next chunk boundary (the sweep said stop) and waits until nothing runs any more.</summary>
    Task StopAsync();

    /// <summary>Leaving on an error or a deactivation: stop what runs, without waiting for a boundary.</summary>
    Task LeaveAsync();

    /// <summary>How the run ended after its last chunk.</summary>
    RunEnd End { get; }
}
