using ExperimentCluster.Grains;
using Microsoft.Extensions.Options;

namespace ExperimentCluster.Grains.Tests.Slots;

public sealed class TrainingSlotsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_resumed_run_gets_the_next_free_slot_ahead_of_never_started_runs_queued_before_it()
    {
        using var slots = new TrainingSlots(Options.Create(new ExperimentOptions { TrainingSlots = 1 }));
        var busy = await slots.AcquireAsync(resumed: false, CancellationToken.None);
        var fresh1 = slots.AcquireAsync(resumed: false, CancellationToken.None);
        var fresh2 = slots.AcquireAsync(resumed: false, CancellationToken.None);
        var resumed = slots.AcquireAsync(resumed: true, CancellationToken.None);
        Assert.Equal(3, slots.Waiting);

        busy.Dispose();
        var first = await resumed.WaitAsync(Timeout);
        Assert.False(fresh1.IsCompleted, "a never-started run took the slot the resumed run was waiting for");
        Assert.False(fresh2.IsCompleted);
        Assert.Equal(1, slots.InUse);

        // Then the never-started ones, in the order they came.
        first.Dispose();
        var second = await fresh1.WaitAsync(Timeout);
        Assert.False(fresh2.IsCompleted);
        second.Dispose();
        (await fresh2.WaitAsync(Timeout)).Dispose();
        Assert.Equal(0, slots.InUse);
        Assert.Equal(0, slots.Waiting);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_queue_and_the_slot_goes_to_the_next_waiter()
    {
        using var slots = new TrainingSlots(Options.Create(new ExperimentOptions { TrainingSlots = 1 }));
        var busy = await slots.AcquireAsync(resumed: false, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = slots.AcquireAsync(resumed: true, cancel.Token);
        var waiting = slots.AcquireAsync(resumed: false, CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Timeout));
        Assert.Equal(1, slots.Waiting);
        busy.Dispose();
        (await waiting.WaitAsync(Timeout)).Dispose();
        Assert.Equal(0, slots.InUse);
        // The slot is free again: taken at once.
        (await slots.AcquireAsync(resumed: false, CancellationToken.None).WaitAsync(Timeout)).Dispose();
    }
}
