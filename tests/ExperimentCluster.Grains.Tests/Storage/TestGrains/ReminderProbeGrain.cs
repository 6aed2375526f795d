using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ExperimentCluster.Grains.Tests.Storage.TestGrains;

public sealed class ReminderProbeGrain(
    [PersistentState("ticks", "store")] IPersistentState<ReminderProbeState> ticks,
    IOptions<ClusterOptions> cluster) : Grain, IReminderProbeGrain, IRemindable
{
    public async Task Start(TimeSpan period) => await this.RegisterOrUpdateReminder("probe", period, period);

    public Task<string[]> TickedIn() => Task.FromResult(ticks.State.ClusterIds.ToArray());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var clusterId = cluster.Value.ClusterId;
        if (!ticks.State.ClusterIds.Contains(clusterId))
        {
            ticks.State.ClusterIds.Add(clusterId);
            await ticks.WriteStateAsync();
        }
    }
}
