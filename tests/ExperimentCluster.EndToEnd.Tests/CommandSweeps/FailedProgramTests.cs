using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests.CommandSweeps;

/// <summary>A sweep whose program fails before its first report: `excl run` exits 1 and prints why, the program's own
/// last lines of standard error included, as lines; a sweep with some failed runs says which failed and why.</summary>
[Collection(CommandSweepGroup.Name)]
public sealed class FailedProgramTests
{
    private const string Sweep = """
        { "name": "fails",
          "command": { "run": ["python3", "-c", "import sys; sys.stderr.write('oops one\\noops two\\n'); sys.exit(3)"], "epochs": 2 },
          "search": { "strategy": "grid", "space": { "x": { "values": [1] } } } }
        """;

    [Fact]
    public async Task The_failed_sweep_prints_the_programs_standard_error_as_lines()
    {
        var dir = Programs.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(dir, "sweep.json"), Sweep);

        var run = await Programs.ExclAsync(dir, TimeSpan.FromMinutes(2), "run", "sweep.json", "--data-dir", "data");

        Assert.True(run.Code == 1, $"exit {run.Code}\n{run.Out}\n{run.Err}");
        Assert.Contains("every run failed; run 0: exit code 3 at epoch 0", string.Join(' ', run.Out.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Contains("\noops one\noops two", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u000A", run.Out, StringComparison.Ordinal);
    }

    private const string PartlyFailing = """
        { "name": "partly",
          "command": { "run": ["python3", "-c", "import os, sys\nif os.environ['EXCL_PARAM_LEARNING_RATE'] == '1':\n    sys.stderr.write('out of memory\\n'); sys.exit(3)\nfor e in (1, 2): print('{{\"epoch\": %d, \"val_loss\": 0.5}}' % e, flush=True)"], "epochs": 2 },
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [1, 2] } } } }
        """;

    [Fact]
    public async Task A_sweep_with_failed_runs_counts_them_and_says_why_each_failed()
    {
        var dir = Programs.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(dir, "sweep.json"), PartlyFailing);

        var run = await Programs.ExclAsync(dir, TimeSpan.FromMinutes(2), "run", "sweep.json", "--data-dir", "data", "--id", "partly");

        Assert.True(run.Code == 0, $"exit {run.Code}\n{run.Out}\n{run.Err}");
        Assert.Contains("completed, 2/2 runs finished, 0 diverged, 0 stopped early, 1 failed", run.Out, StringComparison.Ordinal);
        Assert.Contains("failed: run 0 (learning_rate=1 seed=0): exit code 3 at epoch 0; standard error ends:\n    out of memory\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("a run's output: excl logs partly 0 --data-dir data\n", run.Out, StringComparison.Ordinal);

        // The page's leaderboard gives the reason's first line under the failed run's status.
        await using var silo = await Web.WebSilo.StartAsync(dir: dir);
        using var browser = new Web.Browser();
        browser.Open(new Uri(silo.BaseAddress, "/#/sweep/partly"));
        var reason = browser.Until(d => d.FindElements(OpenQA.Selenium.By.CssSelector("#leaderboard tr[data-run='0'] .failed-reason")) is { Count: 1 } found ? found[0].Text : null, "the failed run's reason");
        Assert.Equal("exit code 3 at epoch 0; standard error ends:", reason);
        Assert.Empty(browser.Driver.FindElements(OpenQA.Selenium.By.CssSelector("#leaderboard tr[data-run='1'] .failed-reason")));
        // The failed run has no final loss: no point for it on learning rate vs final loss (it was drawn at the top).
        Assert.Equal(1L, browser.Number("return document.getElementById('lr-loss').chart.points.length"));
    }

    /// <summary>x = 1 fails while a file named "broken" is in the working folder, the trials' folder without an upload.</summary>
    private const string FailsWhileBroken = """
        { "name": "flaky",
          "command": { "run": ["python3", "-c", "import os, sys\nif os.environ['EXCL_PARAM_X'] == '1' and os.path.exists('broken'):\n    sys.exit(3)\nfor e in (1, 2): print('{{\"epoch\": %d, \"val_loss\": 0.5}}' % e, flush=True)"], "epochs": 2 },
          "search": { "strategy": "grid", "space": { "x": { "values": [1, 2] } } } }
        """;

    [Fact]
    public async Task Excl_retry_on_a_data_folder_trains_the_runs_here_and_waits_for_them()
    {
        var dir = Programs.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(dir, "sweep.json"), FailsWhileBroken);
        await File.WriteAllTextAsync(Path.Combine(dir, "broken"), "");
        var run = await Programs.ExclAsync(dir, TimeSpan.FromMinutes(2), "run", "sweep.json", "--data-dir", "data", "--id", "flaky");
        Assert.True(run.Code == 0, $"exit {run.Code}\n{run.Out}\n{run.Err}");
        Assert.Contains(", 1 failed", run.Out, StringComparison.Ordinal);

        // Fixed; nothing trains in the folder now, so retry trains the run itself (it was started in a silo that only
        // answered, without the right to run commands, and failed again with "this cluster does not run commands").
        File.Delete(Path.Combine(dir, "broken"));
        var retry = await Programs.ExclAsync(dir, TimeSpan.FromMinutes(2), "retry", "flaky", "--failed", "--data-dir", "data", "--json");
        Assert.True(retry.Code == 0, $"exit {retry.Code}\n{retry.Out}\n{retry.Err}");
        Assert.StartsWith("flaky: running; retrying runs 0 from scratch as a new attempt", retry.Err, StringComparison.Ordinal);
        Assert.All(retry.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => JsonNode.Parse(line));
        var summary = JsonNode.Parse(Programs.LastLine(retry.Out))!;
        Assert.Equal("completed", (string?)summary["status"]);
        Assert.Equal(2, (int)summary["counts"]!["completed"]!);
    }
}
