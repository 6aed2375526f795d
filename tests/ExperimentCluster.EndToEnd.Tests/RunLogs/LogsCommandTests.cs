using System.Text.Json.Nodes;

namespace ExperimentCluster.EndToEnd.Tests.RunLogs;

/// <summary>`excl logs` in real processes: a finished command sweep's output from its data folder, and a running one's
/// followed through the excl process that trains it.</summary>
public sealed class LogsCommandTests
{
    private static readonly TimeSpan Long = LoggingSweepProcess.Long;

    private static readonly StringSplitOptions Lines = StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries;

    [Fact]
    public async Task Excl_logs_prints_a_finished_runs_output_with_control_characters_escaped_and_names_an_unknown_run()
    {
        var dir = Programs.TempFolder();
        var file = LogScript.Write(dir, runs: 2, epochs: 3, gated: false);
        var run = await Programs.ExclAsync(dir, Long, "run", file, "--id", "logs", "--data-dir", "state");
        Assert.True(run.Code == 0, $"exit {run.Code}\n{run.Out}\n{run.Err}");

        var (code, output, errors) = await Programs.ExclAsync(dir, Long, "logs", "logs", "0", "--data-dir", "state");

        Assert.True(code == 0, $"exit {code}\n{output}\n{errors}");
        var lines = output.Split('\n');
        Assert.StartsWith("[excl] start: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("trial.py", lines[0], StringComparison.Ordinal);
        Assert.Equal(["line of epoch 1", "line of epoch 2", "line of epoch 3"], lines.Where(l => l.StartsWith("line of epoch", StringComparison.Ordinal)));
        Assert.Contains("a warning on standard error", lines);
        // The escape sequence and the bell come out as visible text; the terminal never receives them.
        Assert.Contains("\\u001B[31mred\\u0007 <script>window.__xss=1</script>", output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\u0007', output);
        // Reports are the trajectory, not the log.
        Assert.DoesNotContain("\"val_loss\"", output, StringComparison.Ordinal);

        var json = await Programs.ExclAsync(dir, Long, "logs", "logs", "1", "--data-dir", "state", "--json");
        Assert.True(json.Code == 0, $"exit {json.Code}\n{json.Out}\n{json.Err}");
        var pieces = json.Out.Split('\n', Lines).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.NotEmpty(pieces);
        Assert.All(pieces, p => Assert.Equal(["run", "text", "start", "next"], p.Select(k => k.Key)));
        Assert.All(pieces, p => Assert.Equal(1, (int)p["run"]!));
        Assert.Equal(0, (long)pieces[0]["start"]!);
        var text = string.Concat(pieces.Select(p => (string)p["text"]!));
        Assert.Equal(text.Length, (long)pieces[^1]["next"]!);
        // JSON carries the output exactly (a reader gets the escape character back); the line itself holds it escaped.
        Assert.Contains(LogScript.HostileLine + "\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', json.Out);

        var missing = await Programs.ExclAsync(dir, Long, "logs", "logs", "99", "--data-dir", "state");
        Assert.Equal(2, missing.Code);
        Assert.Empty(missing.Out);
        Assert.Equal("excl logs: no run 99 in sweep 'logs'", Assert.Single(missing.Err.Split('\n', Lines)));

        var noSweep = await Programs.ExclAsync(dir, Long, "logs", "nope", "0", "--data-dir", "state");
        Assert.Equal(2, noSweep.Code);
        // The folder holds one sweep: the error names it.
        Assert.Equal("excl logs: no sweep 'nope': the one sweep stored here is 'logs'", Assert.Single(noSweep.Err.Split('\n', Lines)));
    }

    [Fact]
    public async Task Excl_logs_follow_prints_lines_as_the_run_prints_them_says_what_was_dropped_and_exits_0_when_the_run_ends()
    {
        // The silo keeps 1,024 characters of each run's output; the 100 filler lines before the first epoch are more.
        using var sweep = LoggingSweepProcess.Start("follow", runs: 2, epochs: 3, chatty: true, keptChars: 1024);
        // Standard error is read apart from standard output: its line may have come before filler lines that pushed it out.
        await sweep.WaitForLogAsync(0, "line of epoch 1", LogScript.HostileLine);
        using var follower = Programs.Start(Programs.Excl, sweep.Folder, ["logs", "follow", "0", "--data-dir", "state", "--follow"]);

        await follower.WaitForOutputAsync(l => l.Contains("line of epoch 1"), Long);
        // The run waits at its gate: the follower has printed what there is and waits for more.
        Assert.False(follower.HasExited);
        Assert.DoesNotContain("line of epoch 2", follower.Output, StringComparison.Ordinal);
        await WaitForErrorsAsync(follower, "older characters were dropped");
        Assert.DoesNotContain("filler 000", follower.Output, StringComparison.Ordinal);

        LogScript.Open(sweep.Folder, 0);
        var code = await follower.WaitForExitAsync(Long);

        Assert.True(code == 0, $"exit {code}\n{follower.Output}\n{follower.Errors}");
        Assert.Equal(["line of epoch 1", "line of epoch 2", "line of epoch 3"], follower.Lines.Where(l => l.StartsWith("line of epoch", StringComparison.Ordinal)));
        Assert.Equal(0, await sweep.FinishAsync(runs: 2));
    }

    private static async Task WaitForErrorsAsync(RunningProgram program, string text)
    {
        var deadline = DateTime.UtcNow + Long;
        while (!program.Errors.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"standard error never held '{text}':\n{program.Errors}");
            await Task.Delay(Programs.PollInterval);
        }
    }
}
