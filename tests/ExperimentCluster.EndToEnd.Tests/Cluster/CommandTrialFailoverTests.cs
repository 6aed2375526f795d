using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExperimentCluster.Contracts;
using ExperimentCluster.EndToEnd.Tests.Trials;
using ExperimentCluster.Silo.Gateway;
using Xunit.Abstractions;

namespace ExperimentCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// A command trial (the Python example, uploaded with `excl submit --upload`) on a three-silo cluster whose silos share
/// nothing but Redis: each runs in its own working folder, so code, run folders and checkpoint folders are its own.
/// </summary>
[Collection(ClusterTestGroup.Name)]
public sealed partial class CommandTrialFailoverTests(ITestOutputHelper output)
{
    private const string Token = "command-failover-token";
    private const int Epochs = 20;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_command_trial_whose_silo_is_killed_resumes_on_another_silo_from_its_stored_checkpoint_with_the_uninterrupted_trajectory()
    {
        var allow = new Dictionary<string, string> { ["Experiments__Commands__Allow"] = "true", ["Http__Token"] = Token };
        await using var cluster = await LocalCluster.StartAsync(silos: 3, slots: 2, allow, connect: false);
        await cluster.ConnectAsync(client => client.AddClusterToken(Token));
        var folder = Programs.TempFolder();
        var code = CopyOfPythonExample(Path.Combine(folder, "code"));
        var sweep = Path.Combine(folder, "sweep.json");
        // A second's pause before each epoch (the example's EXAMPLE_EPOCH_SECONDS) leaves time to kill a silo mid-run.
        await File.WriteAllTextAsync(sweep, $$"""
            { "name": "failover",
              "command": { "run": ["python3", "train.py", "--lr", "{learning_rate}"], "env": { "EXAMPLE_EPOCH_SECONDS": "1" },
                           "epochs": {{Epochs}}, "report_timeout": 120 },
              "seeds": 1,
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.03, 0.1, 0.3] } } },
              "concurrency": 3 }
            """);
        const string id = "failover";
        var submit = await Programs.ExclAsync(folder, Timeout, "submit", sweep, "--upload", code, "--id", id, "--gateway", cluster.GatewayList,
            "--service-id", cluster.ServiceId, "--cluster-id", "test", "--token", Token);
        Assert.True(submit.Code == 0, $"submit exit {submit.Code}\n{submit.Out}\n{submit.Err}\n{cluster.Logs()}");
        Assert.Contains("(stored)", submit.Err, StringComparison.Ordinal);

        // A run that has reported a few epochs (and so stored their checkpoints) and has many to go: kill -9 its silo.
        var views = await Waits.ForAsync(() => cluster.RunsAsync(id, 3), v => v.Any(IsMidRun), Timeout,
            v => Describe(v) + "\n" + cluster.Logs());
        var victimRun = views.First(IsMidRun)!;
        var victim = cluster.Silos.Single(s => s.Owns(victimRun.Silo));
        victim.Kill();
        output.WriteLine($"killed {victim.Name} while run {victimRun.Number} had {victimRun.Epochs} epochs");

        var done = await cluster.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, Timeout);
        Assert.Equal(SweepStatus.Completed, done.Status);
        var details = await ClusterSweeps.AssertAllCompleteAsync(cluster, id, 3, Epochs);
        var moved = details[victimRun.Number].Run;
        Assert.True(moved.Resumes >= 1, $"run {moved.Number} should have continued from its checkpoint (resumes {moved.Resumes})");
        Assert.False(victim.Owns(moved.Silo), $"run {moved.Number} finished on the killed silo {moved.Silo}?");

        // On its new silo the program started from the stored checkpoint, not from scratch: at least the epochs seen before the kill.
        var log = (await cluster.Grains.Run(id, victimRun.Number).GetLogAsync(0, 1 << 20)).Text;
        var resumedFrom = ResumedFrom().Matches(log).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.True(resumedFrom.Count > 0, $"the run's log names no checkpoint it started from:\n{log}");
        Assert.InRange(resumedFrom[^1], victimRun.Epochs, Epochs - 1);
        Assert.Contains($"from epoch {resumedFrom[^1]} to {Epochs}", log, StringComparison.Ordinal); // train.py's own line
        output.WriteLine($"run {moved.Number} finished on {moved.Silo} after {moved.Resumes} resume(s), from the checkpoint of epoch {resumedFrom[^1]}");

        // The exported trajectories, the moved run's included, are value for value those of the program run alone.
        var export = await Programs.ExclAsync(folder, Timeout, "export", id, "--format", "json", "--gateway", cluster.GatewayList,
            "--service-id", cluster.ServiceId, "--cluster-id", "test", "--token", Token);
        Assert.True(export.Code == 0, export.Err);
        foreach (var run in JsonNode.Parse(export.Out)!["runs"]!.AsArray())
        {
            var config = run!["hyperparameters"]!;
            var alone = await TrialProgram.Python.RunAsync(new TrialSetup((double)config["learning_rate"]!, Programs.TempFolder(), (int)config["seed"]!, Epochs));
            AssertSameTrajectory(alone, run["epochs"]!.AsArray(), $"run {(int)run["run"]!}");
        }
    }

    private static bool IsMidRun(RunView? v) => v is { Status: RunStatus.Running, Epochs: >= 3 and <= Epochs - 8 };

    /// <summary>The example's files (not its caches) in a folder of their own: the code the test uploads.</summary>
    private static string CopyOfPythonExample(string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Path.Combine(Programs.RepositoryRoot, "examples", "python")))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    private static void AssertSameTrajectory(List<TrialReport> expected, JsonArray actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {actual.Count} epochs exported, {expected.Count} reported by the program alone");
        for (var i = 0; i < expected.Count; i++)
        {
            var epoch = actual[i]!;
            var context = $"{what}, epoch {expected[i].Epoch}";
            Assert.True(expected[i].Epoch == (int)epoch["epoch"]!, context);
            Assert.True(expected[i].Metric("train_loss") == (double)epoch["train_loss"]!, $"{context}: train_loss {epoch["train_loss"]} vs {expected[i].Metric("train_loss")}");
            Assert.True(expected[i].Metric("val_loss") == (double)epoch["val_loss"]!, $"{context}: val_loss {epoch["val_loss"]} vs {expected[i].Metric("val_loss")}");
            Assert.True(expected[i].Metric("val_accuracy") == (double)epoch["val_accuracy"]!, $"{context}: val_accuracy");
            Assert.True(expected[i].Metric("lr") == (double)epoch["learning_rate"]!, $"{context}: learning_rate");
        }
    }

    private static string Describe(RunView?[]? views) =>
        string.Join("\n", views?.Select(v => $"run {v?.Number}: {v?.Status} epochs {v?.Epochs} silo {v?.Silo}") ?? []);

    [GeneratedRegex(@"\[excl\] start from the checkpoint of epoch (\d+)")]
    private static partial Regex ResumedFrom();
}
