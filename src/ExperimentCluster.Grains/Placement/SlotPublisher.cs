using Microsoft.Extensions.Logging;

namespace ExperimentCluster.Grains.Placement;

/// <summary>Posts this silo's slots to the board twice a second while the silo is active, and keeps the board's answer.</summary>
public sealed class SlotPublisher(
    IGrainFactory grains,
    ILocalSiloDetails silo,
    TrainingSlots slots,
    SlotTable table,
    ILogger<SlotPublisher> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private CancellationTokenSource? _stop;
    private Task? _loop;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SlotPublisher), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _stop = new CancellationTokenSource();
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null || _loop is null)
            return;
        await _stop.CancelAsync();
        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the board forgets this silo by itself.
        }
    }

    public void Dispose() => _stop?.Dispose();

    private async Task LoopAsync(CancellationToken stop)
    {
        var board = grains.GetGrain<ISlotBoardGrain>(0);
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var report = new SlotReport(silo.SiloAddress, slots.Capacity, slots.InUse + slots.Waiting, DateTimeOffset.UtcNow);
                table.Update(await board.PublishAsync(report).WaitAsync(TimeSpan.FromSeconds(5), stop));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // While the board's silo dies, or Redis is away; placement uses the last table meanwhile.
                logger.LogDebug("Publishing training slots failed: {Message}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stop));
    }
}
