using ExperimentCluster.CommandTrials;
using Microsoft.Extensions.Options;

namespace ExperimentCluster.Grains.Tests.CommandTrials;

/// <summary>The silo's GPUs as trials lease them; made-up ids, no GPU needed.</summary>
public sealed class GpuPoolTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static GpuPool Pool(params string[] ids) =>
        new(Options.Create(new ExperimentOptions { Commands = new CommandSettings { Gpus = [.. ids] } }));

    [Fact]
    public async Task Two_trials_asking_two_of_three_take_turns_and_never_share_an_id()
    {
        var pool = Pool("a", "b", "c");
        var first = await pool.AcquireAsync(2, CancellationToken.None).WaitAsync(Timeout);
        var second = pool.AcquireAsync(2, CancellationToken.None);
        Assert.Equal(2, first.Ids.Count);
        Assert.False(second.IsCompleted, "only one GPU is free: the second trial must wait");

        first.Dispose();
        var later = await second.WaitAsync(Timeout);
        Assert.Equal(2, later.Ids.Count);
        Assert.Equal(2, later.Ids.Distinct().Count());
        Assert.Subset(new HashSet<string> { "a", "b", "c" }, later.Ids.ToHashSet());

        // While the second holds two, the one left is the only one a third trial can get.
        var third = await pool.AcquireAsync(1, CancellationToken.None).WaitAsync(Timeout);
        Assert.Empty(third.Ids.Intersect(later.Ids));
        Assert.Equal(["a", "b", "c"], later.Ids.Concat(third.Ids).Order());
        later.Dispose();
        later.Dispose(); // giving back twice gives back once
        third.Dispose();
        var all = await pool.AcquireAsync(3, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(["a", "b", "c"], all.Ids.Order());
    }

    [Fact]
    public async Task First_come_first_served_a_trial_that_asks_for_many_is_not_overtaken_by_one_that_asks_for_one()
    {
        var pool = Pool("a", "b", "c");
        var held = await pool.AcquireAsync(2, CancellationToken.None).WaitAsync(Timeout);
        var many = pool.AcquireAsync(3, CancellationToken.None);
        var one = pool.AcquireAsync(1, CancellationToken.None);
        Assert.False(one.IsCompleted, "one GPU is free, but a trial that asked before is waiting for it");

        held.Dispose();
        var all = await many.WaitAsync(Timeout);
        Assert.False(one.IsCompleted);
        all.Dispose();
        (await one.WaitAsync(Timeout)).Dispose();
    }

    [Fact]
    public async Task Asking_for_more_GPUs_than_the_silo_has_is_a_clear_error_not_a_wait()
    {
        var pool = Pool("a", "b", "c");
        var e = await Assert.ThrowsAsync<TrialFailedException>(() => pool.AcquireAsync(4, CancellationToken.None).WaitAsync(Timeout));
        Assert.Contains("4 GPUs", e.Message, StringComparison.Ordinal);
        Assert.Contains("command.gpus", e.Message, StringComparison.Ordinal);
        Assert.Contains("has 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("Experiments:Commands:Gpus", e.Message, StringComparison.Ordinal);

        var none = Pool();
        var noGpus = await Assert.ThrowsAsync<TrialFailedException>(() => none.AcquireAsync(1, CancellationToken.None).WaitAsync(Timeout));
        Assert.Contains("has 0", noGpus.Message, StringComparison.Ordinal);
        Assert.Empty((await none.AcquireAsync(0, CancellationToken.None)).Ids);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_queue_and_those_behind_it_get_what_is_free()
    {
        var pool = Pool("a", "b", "c");
        var held = await pool.AcquireAsync(2, CancellationToken.None).WaitAsync(Timeout);
        using var cancel = new CancellationTokenSource();
        var cancelled = pool.AcquireAsync(2, cancel.Token);
        var behind = pool.AcquireAsync(1, CancellationToken.None);
        Assert.False(behind.IsCompleted);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Timeout));
        // The free GPU goes to the trial that was behind the cancelled one, without waiting for another release.
        var one = await behind.WaitAsync(Timeout);
        Assert.Single(one.Ids);
        Assert.Empty(one.Ids.Intersect(held.Ids));

        held.Dispose();
        one.Dispose();
        // Nothing is lost to the cancelled wait: all three can be had again.
        var all = await pool.AcquireAsync(3, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(3, all.Ids.Count);
    }
}
