using ExperimentCluster.Silo.Storage;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>`excl delete` on a data folder (the embedded SQLite store), and its refusal when no one can be asked.</summary>
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

    private static GrainId SweepGrainId(string id) => GrainId.Create("sweep", id);
}
