using ExperimentCluster.Contracts;
using ExperimentCluster.Grains.Tests.Cluster;
using Microsoft.Data.Sqlite;

namespace ExperimentCluster.Grains.Tests.Checkpoints;

/// <summary>A run's epochs go to the trajectory store, not into its state, and its curve reads back whole.</summary>
public sealed class TrajectoryClusterTests
{
    [Fact]
    public async Task A_long_runs_state_stays_small_its_epochs_are_stored_once_each_and_its_curve_reads_back_whole()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        var id = "long-" + Guid.NewGuid().ToString("N")[..6];
        const int epochs = 300;
        var sweep = $$"""
            {
              "training": { "dataset": "iris", "layers": [4], "optimizer": "sgd", "batch_size": 64, "epochs": {{epochs}} },
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.01] } } }
            }
            """;
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(sweep)).Error);
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, TimeSpan.FromMinutes(3));
        Assert.Equal(SweepStatus.Completed, done.Status);

        var detail = (await test.Grains.Run(id, 0).GetDetailAsync(0))!;
        SweepClusterTests.AssertSameTrajectory(SweepClusterTests.Uninterrupted(detail.SpecJson), detail.Metrics);
        await using var connection = new SqliteConnection($"Data Source={test.DatabasePath};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT (SELECT length(payload) FROM grain_state WHERE state_name = 'run'), (SELECT count(*) FROM trajectories WHERE sweep_id = '{id}')";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var (state, rows) = (reader.GetInt64(0), reader.GetInt64(1));
        Assert.Equal(epochs, rows);
        // 300 epochs inline were about 45 KB; the state now holds settings, counters and pointers only.
        Assert.True(state < 2500, $"the run's state is {state} B after {epochs} epochs");
    }
}
