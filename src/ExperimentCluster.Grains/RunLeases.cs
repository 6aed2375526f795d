using ExperimentCluster.CommandTrials;

namespace ExperimentCluster.Grains;

/// <summary>
/// What one run holds while it trains: its training slots (a command trial may ask for several with `slots`) and its
/// GPUs.
/// </summary>
internal sealed class RunLeases : IDisposable
{
    private readonly IReadOnlyList<TrainingSlots.Lease> _slots;
    private readonly GpuPool.Lease? _gpus;

    private RunLeases(IReadOnlyList<TrainingSlots.Lease> slots, GpuPool.Lease? gpus)
    {
        _slots = slots;
        _gpus = gpus;
    }

    public IReadOnlyList<string> Gpus => _gpus?.Ids ?? [];

    public static async Task<RunLeases> AcquireAsync(TrainingSlots slots, GpuPool gpus, CommandSpec? command, bool resumed, CancellationToken cancellationToken)
    {
        var count = command?.Slots ?? 1;
        if (count > slots.Capacity)
            throw new TrialFailedException($"the trial asks for {count} training slots (command.slots) and this silo has {slots.Capacity} (Experiments:TrainingSlots)");
        // GPUs first: a trial waiting for a GPU holds no slot that a CPU-only run could use.
        var gpuLease = command is { Gpus: > 0 } ? await gpus.AcquireAsync(command.Gpus, cancellationToken) : null;
        try
        {
            return new RunLeases(await slots.AcquireAsync(count, resumed, cancellationToken), gpuLease);
        }
        catch
        {
            gpuLease?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var lease in _slots)
            lease.Dispose();
        _gpus?.Dispose();
    }
}
