using ExperimentCluster.CommandTrials;

namespace ExperimentCluster.Grains;

/// <summary>
/// What one run holds while it trains: its training slots (a command trial may ask for several with `slots`) and its
/// GPUs. Slots for a trial that needs several are taken one at a time under a silo-wide gate, so two such trials never
/// each hold half of what they need; a run that needs one slot is never held up by the gate.
/// </summary>
internal sealed class RunLeases : IDisposable
{
    private static readonly SemaphoreSlim ManySlots = new(1, 1);

    private readonly List<TrainingSlots.Lease> _slots;
    private readonly GpuPool.Lease? _gpus;

    private RunLeases(List<TrainingSlots.Lease> slots, GpuPool.Lease? gpus)
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
        var held = new List<TrainingSlots.Lease>(count);
        try
        {
            if (count == 1)
            {
                held.Add(await slots.AcquireAsync(resumed, cancellationToken));
            }
            else
            {
                await ManySlots.WaitAsync(cancellationToken);
                try
                {
                    for (var i = 0; i < count; i++)
                        held.Add(await slots.AcquireAsync(resumed, cancellationToken));
                }
                finally
                {
                    ManySlots.Release();
                }
            }
        }
        catch
        {
            held.ForEach(l => l.Dispose());
            gpuLease?.Dispose();
            throw;
        }
        return new RunLeases(held, gpuLease);
    }

    public void Dispose()
    {
        foreach (var lease in _slots)
            lease.Dispose();
        _gpus?.Dispose();
    }
}
