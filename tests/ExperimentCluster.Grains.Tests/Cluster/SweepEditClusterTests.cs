using System.Globalization;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Grains.Tests.Cluster;

/// <summary>Editing running sweeps on real clusters: the edit takes effect, survives the loss of the sweep's silo, and a
/// bad edit changes nothing.</summary>
public sealed class SweepEditClusterTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(4);

    /// <summary>A random search of six runs, one at a time, over four decades of learning rate.</summary>
    private const string RandomSweep = """
        {
          "name": "edit-test",
          "training": { "dataset": "digits", "layers": [128, 128], "optimizer": "momentum", "batch_size": 16, "epochs": 6 },
          "search": { "strategy": "random", "trials": 6, "seed": 11, "space": { "learning_rate": { "log_uniform": [0.0001, 1] } } },
          "concurrency": 1
        }
        """;

    /// <summary>Runs that never end on their own (2,000 epochs): the sweep is running for as long as a test needs it.</summary>
    private const string EndlessSweep = """
        {
          "name": "endless",
          "training": { "dataset": "digits", "layers": [128, 128], "optimizer": "momentum", "epochs": 2000 },
          "search": { "strategy": "random", "trials": 8, "space": {
            "learning_rate": { "log_uniform": [0.0001, 0.1] }, "batch_size": { "int": [8, 32] }, "activation": { "values": ["relu", "tanh"] } } },
          "concurrency": 2
        }
        """;

    [Fact]
    public async Task Raising_budget_and_concurrency_and_narrowing_the_rate_mid_sweep_hold_after_the_sweeps_silo_is_killed()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 3);
        var (id, host) = await IdHostedOffTheFirstSiloAsync(test);
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(RandomSweep)).Error);
        await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running || v.Counts.Values.Sum() >= 1, Long);

        var edit = await test.Grains.Sweep(id).EditAsync("""
            { "max_runs": 10, "concurrency": 2, "search": { "space": { "learning_rate": { "range": [0.001, 0.01] } } } }
            """);
        Assert.Null(edit.Error);
        var firstRun = edit.Edits!.Events[0].FirstRun;
        Assert.InRange(firstRun, 1, 5);
        Assert.Equal(10, edit.Sweep!.PlannedRuns);

        // Once a run of the edited sweep has started, the silo holding the sweep dies; the sweep goes on elsewhere.
        await test.WaitForSweepAsync(id, v => v.Counts.Values.Sum() > firstRun, Long);
        await test.Cluster.KillSiloAsync(test.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)));

        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);
        var results = (await test.Grains.Sweep(id).GetResultsAsync())!;
        Assert.Equal(10, results.Leaderboard.Count);
        Assert.Equal(10, done.Counts.Values.Sum());
        foreach (var run in results.Leaderboard.Where(r => r.Number >= firstRun))
        {
            var rate = double.Parse(run.Config["learning_rate"], CultureInfo.InvariantCulture);
            Assert.True(rate is >= 0.001 and <= 0.01, $"run {run.Number} started after the edit with learning_rate {rate}");
        }

        var edits = (await test.Grains.Sweep(id).GetEditsAsync())!;
        Assert.Equal(
            ["search.space.learning_rate", "concurrency", "max_runs", "search.trials"],
            edits.Events.Select(e => e.Path));
        Assert.All(edits.Events, e => Assert.Equal(1, e.Edit));
        Assert.Equal(("""{"log_uniform":[0.0001,1]}""", """{"log_uniform":[0.001,0.01]}"""), (edits.Events[0].Old, edits.Events[0].New));
        Assert.Equal(("1", "2"), (edits.Events[1].Old, edits.Events[1].New));
        Assert.Equal((null, "10"), (edits.Events[2].Old, edits.Events[2].New));
        Assert.Equal(("6", "10"), (edits.Events[3].Old, edits.Events[3].New));
        // The runs made before the edit outside the new range stay in the history, listed as outside it.
        var before = results.Leaderboard.Where(r => r.Number < firstRun).ToList();
        var outsideBefore = before.Where(r => double.Parse(r.Config["learning_rate"], CultureInfo.InvariantCulture) is < 0.001 or > 0.01)
            .Select(r => r.Number).Order();
        Assert.Equal(outsideBefore, edits.OutsideRuns.Order());
        Assert.Contains("\"max_runs\":10", results.SpecJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paused_sweep_takes_an_edit_starts_nothing_until_resumed_and_then_follows_it()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        const string id = "edit-paused";
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(RandomSweep)).Error);
        await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running || v.Counts.Values.Sum() >= 1, Long);
        Assert.Null((await test.Grains.Sweep(id).PauseAsync()).Error);
        var paused = await test.WaitForSweepAsync(id, v => v.Counts.GetValueOrDefault(RunStatus.Running) == 0, Long);
        Assert.Equal(SweepStatus.Paused, paused.Status);
        var before = paused.Counts.Values.Sum();

        var edit = await test.Grains.Sweep(id).EditAsync("""
            { "max_runs": 8, "concurrency": 2, "search": { "space": { "learning_rate": { "range": [0.001, 0.01] } } } }
            """);
        Assert.Null(edit.Error);
        Assert.Equal(SweepStatus.Paused, edit.Sweep!.Status);
        Assert.Equal(8, edit.Sweep.PlannedRuns);
        // More budget and concurrency while paused start nothing.
        Assert.Equal(before, (await test.Grains.Sweep(id).GetState())!.Counts.Values.Sum());

        await test.Grains.Sweep(id).ResumeAsync();
        var done = await test.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal(SweepStatus.Completed, done.Status);
        var results = (await test.Grains.Sweep(id).GetResultsAsync())!;
        Assert.Equal(8, results.Leaderboard.Count);
        foreach (var run in results.Leaderboard.Where(r => r.Number >= edit.Edits!.Events[0].FirstRun))
        {
            var rate = double.Parse(run.Config["learning_rate"], CultureInfo.InvariantCulture);
            Assert.InRange(rate, 0.001, 0.01);
        }
    }

    [Fact]
    public async Task A_bad_edit_names_the_field_and_leaves_the_sweep_unchanged()
    {
        await using var test = await ExperimentTestCluster.StartAsync(silos: 1);
        const string id = "bad-edits";
        Assert.Null((await test.Grains.Sweep(id).SubmitAsync(EndlessSweep)).Error);
        await test.WaitForSweepAsync(id, v => v.Counts.Values.Sum() >= 2, Long);
        var sweep = test.Grains.Sweep(id);
        var planned = (await sweep.GetState())!.PlannedRuns;

        (string Edit, string Error)[] cases =
        [
            ("""{ "search": { "space": { "activation": { "range": [0, 1] } } } }""", "search.space.activation.range: activation is a list of values, not a range"),
            ("""{ "search": { "space": { "batch_size": { "range": [8.5, 64] } } } }""", "search.space.batch_size.range: batch_size is an integer range (int): its ends are whole numbers"),
            ("""{ "search": { "space": { "momentum": { "range": [0.5, 0.9] } } } }""", "search.space.momentum: unknown parameter"),
            ("""{ "max_runs": -1 }""", "max_runs: must be between 1 and"),
            ("""{ "max_runs": 1 }""", "max_runs: the sweep would have a budget of 1 runs, below the "),
            ("""{ "concurrency": 0 }""", "concurrency: must be between 1 and"),
        ];
        foreach (var (edit, error) in cases)
        {
            var result = await sweep.EditAsync(edit);
            Assert.Null(result.Edits);
            Assert.NotNull(result.Error);
            Assert.StartsWith(error, result.Error, StringComparison.Ordinal);
            await AssertUnchangedAsync(sweep, planned);
        }

        await sweep.CancelAsync();
        var late = await sweep.EditAsync("""{ "max_runs": 8 }""");
        Assert.Equal("status: the sweep is cancelled; only a running or paused sweep can be edited", late.Error);
        await AssertUnchangedAsync(sweep, planned);

        // A completed sweep refuses the same way.
        const string small = "small";
        Assert.Null((await test.Grains.Sweep(small).SubmitAsync(RandomSweep.Replace("\"epochs\": 6", "\"epochs\": 1", StringComparison.Ordinal)
            .Replace("\"trials\": 6", "\"trials\": 1", StringComparison.Ordinal))).Error);
        await test.WaitForSweepAsync(small, v => v.Status != SweepStatus.Running, Long);
        Assert.Equal("status: the sweep is completed; only a running or paused sweep can be edited", (await test.Grains.Sweep(small).EditAsync("""{ "max_runs": 8 }""")).Error);
        Assert.Empty((await test.Grains.Sweep(small).GetEditsAsync())!.Events);
    }

    private static async Task AssertUnchangedAsync(ISweepGrain sweep, int planned)
    {
        var edits = (await sweep.GetEditsAsync())!;
        Assert.Empty(edits.Events);
        Assert.Equal(EndlessSweep, edits.SpecJson);
        Assert.Equal(planned, (await sweep.GetState())!.PlannedRuns);
    }

    /// <summary>
    /// An unused sweep id whose grain the cluster placed on a silo other than the first: the test cluster's first silo
    /// holds its membership and cannot be killed. Asking for the state activates the grain (without storing anything).
    /// </summary>
    private static async Task<(string Id, SiloAddress Host)> IdHostedOffTheFirstSiloAsync(ExperimentTestCluster test)
    {
        var management = test.Cluster.Client.GetGrain<IManagementGrain>(0);
        var first = test.Cluster.Silos[0].SiloAddress;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var id = "edit-" + Guid.NewGuid().ToString("N")[..6];
            Assert.Null(await test.Grains.Sweep(id).GetState());
            if (await management.GetActivationAddress(test.Grains.Sweep(id)) is { } host && !host.Equals(first))
                return (id, host);
        }
        throw new InvalidOperationException("50 sweep grains in a row were placed on the first silo");
    }
}
