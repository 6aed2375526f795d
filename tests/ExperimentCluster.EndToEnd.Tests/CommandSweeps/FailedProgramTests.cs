namespace ExperimentCluster.EndToEnd.Tests.CommandSweeps;

/// <summary>A sweep whose program fails before its first report: `excl run` exits 1 and prints why, the program's own
/// last lines of standard error included, as lines.</summary>
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
}
