using ExperimentCluster.Silo.Storage;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>`excl delete` on a data folder (the embedded SQLite store): its question on a terminal, and its refusal when no one can be asked.</summary>
public sealed class DeleteCommandTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Without_yes_and_without_a_terminal_excl_delete_refuses_with_exit_2_naming_yes_before_it_opens_anything()
    {
        var data = Path.Combine(Programs.TempFolder(), "state");

        var refused = await NoTerminal.ExclAsync(["delete", "some-sweep", "--data-dir", data]);

        Assert.Equal(2, refused.Code);
        Assert.Equal("excl delete: --yes: standard input is not a terminal, so there is no one to ask; add --yes to delete sweep 'some-sweep'", refused.Err.Trim());
        Assert.Equal("", refused.Out);
        // Refused before connecting: not even the data folder was created.
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task Excl_delete_yes_on_a_data_folder_removes_the_sweep_and_the_file_keeps_nothing_of_it()
    {
        var dir = Programs.TempFolder();
        var data = Path.Combine(dir, "state");
        File.WriteAllText(Path.Combine(dir, "tiny.json"), Web.Sweeps.Tiny("delete from a folder"));
        var run = await Programs.ExclAsync(dir, Long, "run", "tiny.json", "--json", "--id", "tiny", "--data-dir", data);
        Assert.True(run.Code == 0, $"excl run exit {run.Code}\n{run.Err}");
        var database = Path.Combine(data, "experiments.db");
        Assert.Contains("tiny", SqliteStateInspector.ReadStateJson(database, SweepGrainId("tiny"), "sweep"), StringComparison.Ordinal);
        Assert.NotNull(SqliteStateInspector.ReadStateJson(database, GrainId.Create("run", "tiny/2"), "run"));

        var deleted = await NoTerminal.ExclAsync(["delete", "tiny", "--yes", "--data-dir", data]);

        Assert.True(deleted.Code == 0, $"excl delete exit {deleted.Code}\n{deleted.Err}");
        Assert.StartsWith("deleted sweep tiny: 3 runs, ", deleted.Out, StringComparison.Ordinal);
        Assert.Null(SqliteStateInspector.ReadStateJson(database, SweepGrainId("tiny"), "sweep"));
        for (var n = 0; n < 3; n++)
            Assert.Null(SqliteStateInspector.ReadStateJson(database, GrainId.Create("run", $"tiny/{n}"), "run"));
        var list = await Programs.ExclAsync(dir, Long, "list", "--json", "--data-dir", data);
        Assert.True(list.Code == 0, list.Err);
        Assert.DoesNotContain("\"tiny\"", list.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_terminal_excl_delete_asks_once_no_keeps_the_sweep_and_yes_deletes_it()
    {
        var dir = Programs.TempFolder();
        var data = Path.Combine(dir, "state");
        File.WriteAllText(Path.Combine(dir, "tiny.json"), Web.Sweeps.Tiny("asked first"));
        var run = await Programs.ExclAsync(dir, Long, "run", "tiny.json", "--json", "--id", "asked", "--data-dir", data);
        Assert.True(run.Code == 0, $"excl run exit {run.Code}\n{run.Err}");

        var no = await OnTerminalAsync("n", "delete", "asked", "--data-dir", data);
        Assert.True(no.Code == 1, no.Output);
        Assert.Contains("delete sweep asked and its 3 runs? [y/N]", no.Output, StringComparison.Ordinal);
        Assert.Contains("nothing deleted", no.Output, StringComparison.Ordinal);
        Assert.NotNull(SqliteStateInspector.ReadStateJson(Path.Combine(data, "experiments.db"), SweepGrainId("asked"), "sweep"));

        var yes = await OnTerminalAsync("y", "delete", "asked", "--data-dir", data);
        Assert.True(yes.Code == 0, yes.Output);
        Assert.Contains("deleted sweep asked: 3 runs", yes.Output, StringComparison.Ordinal);
        Assert.Null(SqliteStateInspector.ReadStateJson(Path.Combine(data, "experiments.db"), SweepGrainId("asked"), "sweep"));
    }

    /// <summary>excl on a pseudo-terminal (util-linux `script`), answering its question with one line.</summary>
    private static async Task<(int Code, string Output)> OnTerminalAsync(string answer, params string[] args)
    {
        var command = string.Join(' ', new[] { "dotnet", Programs.Excl }.Concat(args).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var info = new System.Diagnostics.ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-qec", command, "/dev/null" })
            info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        await process.StandardInput.WriteLineAsync(answer);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Long);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output + await errors);
    }

    private static GrainId SweepGrainId(string id) => GrainId.Create("sweep", id);
}
