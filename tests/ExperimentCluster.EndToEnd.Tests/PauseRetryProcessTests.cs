using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>`excl pause`, `excl resume` and `excl retry` against a real silo process, and the retry API's errors.</summary>
public sealed class PauseRetryProcessTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Pause_resume_and_retry_from_the_command_line()
    {
        var dir = Programs.TempFolder();
        var (process, client, gateway) = await SiloProcessTests.StartSiloAsync(dir);
        using var _ = process;
        using var __ = client;
        // One run long enough to be paused mid-way; one (learning rate 30) that diverges in its first epochs.
        var file = Path.Combine(dir, "pr.json");
        await File.WriteAllTextAsync(file, """
            { "name": "pr", "training": { "dataset": "digits", "layers": [256, 256], "optimizer": "sgd", "batch_size": 16, "epochs": 150 },
              "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.01, 30] } } }, "concurrency": 2 }
            """);
        Assert.Equal(0, (await Programs.ExclAsync(dir, Long, "submit", file, "--id", "pr", "--gateway", gateway)).Code);
        await SweepAsync(client, s => (long)s["epochs_reported"]! >= 3);

        var pause = await Programs.ExclAsync(dir, Long, "pause", "pr", "--gateway", gateway);
        Assert.True(pause.Code == 0, pause.Err);
        Assert.Contains("pr: paused", pause.Out, StringComparison.Ordinal);
        // The resume command it prints reaches this cluster (it named no --gateway, so it failed as printed).
        Assert.Contains($"continue with: excl resume pr --gateway {gateway}", pause.Out, StringComparison.Ordinal);
        var paused = await SweepAsync(client, s => s["counts"]!["running"] is null && s["counts"]!["queued"] is null);
        Assert.Equal("paused", (string?)paused["status"]);
        var again = await Programs.ExclAsync(dir, Long, "pause", "pr", "--gateway", gateway);
        Assert.Equal(0, again.Code);
        Assert.Contains("paused already", again.Err, StringComparison.Ordinal);
        var list = await Programs.ExclAsync(dir, Long, "list", "--gateway", gateway, "--json");
        Assert.Contains("\"status\":\"paused\"", list.Out, StringComparison.Ordinal);
        // Watching a paused sweep says so and how to go on, as `excl run` does; it printed the tables and "no answer".
        var watchPaused = await Programs.ExclAsync(dir, Long, "watch", "pr", "--gateway", gateway);
        Assert.True(watchPaused.Code == 0, watchPaused.Err);
        Assert.Contains($"sweep pr is paused; continue it with: excl resume pr --gateway {gateway}", watchPaused.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("answer:", watchPaused.Out, StringComparison.Ordinal);

        var resume = await Programs.ExclAsync(dir, Long, "resume", "pr", "--gateway", gateway, "--json", "--out", Path.Combine(dir, "results"));
        Assert.True(resume.Code == 0, resume.Err);
        Assert.Contains("was paused", resume.Err, StringComparison.Ordinal);
        var summary = JsonNode.Parse(Programs.LastLine(resume.Out))!;
        Assert.Equal("completed", (string?)summary["status"]);
        var pauseDone = await Programs.ExclAsync(dir, Long, "pause", "pr", "--gateway", gateway);
        Assert.NotEqual(0, pauseDone.Code);
        Assert.Contains("status: sweep 'pr' is completed; only a running sweep can be paused", pauseDone.Err, StringComparison.Ordinal);

        // Bad choices name the option and change nothing.
        var unknown = await Programs.ExclAsync(dir, Long, "retry", "pr", "--runs", "0,9", "--gateway", gateway);
        Assert.NotEqual(0, unknown.Code);
        Assert.Contains("--runs[1]: sweep 'pr' has no run 9", unknown.Err, StringComparison.Ordinal);
        var notNumber = await Programs.ExclAsync(dir, Long, "retry", "pr", "--runs", "x", "--gateway", gateway);
        Assert.Contains("--runs: 'x' is not a run number", notNumber.Err, StringComparison.Ordinal);
        var body = await client.PostAsync("/api/sweeps/pr/retry", new StringContent("""{"runs": [0, "two"]}"""));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, body.StatusCode);
        Assert.Contains("runs[1]:", await body.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, (int)JsonNode.Parse(await client.GetStringAsync("/api/sweeps/pr/runs/1"))!["run"]!["attempt"]!);
        Assert.Equal("completed", (string?)(await SweepAsync(client, _ => true))["status"]);

        var retry = await Programs.ExclAsync(dir, Long, "retry", "pr", "--diverged", "--gateway", gateway);
        Assert.True(retry.Code == 0, retry.Err);
        Assert.Contains("retrying runs 1", retry.Out, StringComparison.Ordinal);
        var watch = await Programs.ExclAsync(dir, Long, "watch", "pr", "--gateway", gateway, "--json");
        Assert.Equal("completed", (string?)JsonNode.Parse(Programs.LastLine(watch.Out))!["status"]);
        var run = JsonNode.Parse(await client.GetStringAsync("/api/sweeps/pr/runs/1"))!;
        Assert.Equal((2, "diverged"), ((int)run["run"]!["attempt"]!, (string?)run["run"]!["status"]));
        var old = Assert.Single(run["earlier_attempts"]!.AsArray())!;
        Assert.Equal((1, "diverged"), ((int)old["attempt"]!, (string?)old["status"]));
    }

    private static async Task<JsonNode> SweepAsync(HttpClient client, Func<JsonNode, bool> condition)
    {
        var deadline = DateTime.UtcNow + Long;
        while (true)
        {
            var sweep = JsonNode.Parse(await client.GetStringAsync("/api/sweeps/pr"))!["sweep"]!;
            if (condition(sweep))
                return sweep;
            Assert.True(DateTime.UtcNow < deadline, "the sweep never reached the condition: " + sweep.ToJsonString());
            await Task.Delay(Programs.PollInterval);
        }
    }
}
