using System.Text.Json;
using ExperimentCluster.Trial;

namespace ExperimentCluster.EndToEnd.Tests.Trials;

/// <summary>The .NET helper's checkpoint folder: saved before the report, restored as saved, never a partial file.</summary>
public sealed class TrialCheckpointTests
{
    public sealed class Model
    {
        public double[] Weights { get; set; } = [];
        public string Name { get; set; } = "";
    }

    /// <summary>A state whose serialisation fails part way, after a lot of it has been written.</summary>
    public sealed class FailingModel
    {
        public double[] Weights { get; set; } = new double[50_000];
        public double Broken => throw new InvalidOperationException("cannot serialise this");
    }

    private static TrialContext Trial(string folder, int? checkpointEpoch = null, TextWriter? output = null)
    {
        var variables = new Dictionary<string, string> { ["EXCL_CHECKPOINT_DIR"] = folder };
        if (checkpointEpoch is { } epoch)
            variables["EXCL_CHECKPOINT_EPOCH"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TrialContext.FromVariables(variables, output ?? new StringWriter());
    }

    private static readonly Dictionary<string, double> Loss = new() { ["val_loss"] = 1 };

    private static string[] Names(string folder) => Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void A_fresh_start_restores_epoch_0_and_no_state()
    {
        var (epoch, state) = Trial(Programs.TempFolder(), checkpointEpoch: 0).Restore<Model>();
        Assert.Equal(0, epoch);
        Assert.Null(state);
    }

    [Fact]
    public void A_checkpoint_restores_in_the_next_process_exactly_as_saved_non_finite_numbers_included()
    {
        var folder = Programs.TempFolder();
        var saved = new Model { Weights = [0.1, 1.0 / 3, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 5e-324], Name = "net" };
        Trial(folder).Report(1, Loss, checkpoint: saved);

        var (epoch, state) = Trial(folder, checkpointEpoch: 1).Restore<Model>();
        Assert.Equal(1, epoch);
        Assert.Equal(saved.Weights, state!.Weights);
        Assert.Equal("net", state.Name);
    }

    [Fact]
    public void The_checkpoint_is_in_the_folder_before_its_report_line_is_printed()
    {
        var folder = Programs.TempFolder();
        var seenAtPrint = new List<string[]>();
        using var output = new WriterThatLooks(() => seenAtPrint.Add(Names(folder)));
        Trial(folder, output: output).Report(1, Loss, checkpoint: new Model());

        Assert.Equal([["excl-state-1.json"]], seenAtPrint);
    }

    [Fact]
    public void The_folder_keeps_the_last_two_states_only()
    {
        var folder = Programs.TempFolder();
        var trial = Trial(folder);
        for (var epoch = 1; epoch <= 5; epoch++)
            trial.Report(epoch, Loss, checkpoint: new Model { Name = $"e{epoch}" });

        Assert.Equal(["excl-state-4.json", "excl-state-5.json"], Names(folder));
    }

    [Fact]
    public void Restoring_an_earlier_epoch_drops_the_later_state_written_but_never_reported()
    {
        var folder = Programs.TempFolder();
        var trial = Trial(folder);
        trial.Report(1, Loss, checkpoint: new Model { Name = "one" });
        trial.Report(2, Loss, checkpoint: new Model { Name = "two" });

        var (epoch, state) = Trial(folder, checkpointEpoch: 1).Restore<Model>();
        Assert.Equal((1, "one"), (epoch, state!.Name));
        Assert.Equal(["excl-state-1.json"], Names(folder));
    }

    [Fact]
    public void Without_EXCL_CHECKPOINT_EPOCH_the_newest_state_is_restored()
    {
        var folder = Programs.TempFolder();
        var trial = Trial(folder);
        trial.Report(1, Loss, checkpoint: new Model { Name = "one" });
        trial.Report(2, Loss, checkpoint: new Model { Name = "two" });

        var (epoch, state) = Trial(folder).Restore<Model>();
        Assert.Equal((2, "two"), (epoch, state!.Name));
    }

    [Fact]
    public void EXCL_CHECKPOINT_EPOCH_0_is_a_fresh_start_even_when_the_folder_holds_states()
    {
        var folder = Programs.TempFolder();
        Trial(folder).Report(1, Loss, checkpoint: new Model());

        Assert.Equal(0, Trial(folder, checkpointEpoch: 0).Restore<Model>().Epoch);
        Assert.Empty(Names(folder));
    }

    [Fact]
    public void A_checkpoint_epoch_the_folder_does_not_hold_is_an_error_naming_the_epoch_and_the_folder()
    {
        var folder = Programs.TempFolder();
        Trial(folder).Report(1, Loss, checkpoint: new Model());

        var error = Assert.Throws<InvalidOperationException>(() => Trial(folder, checkpointEpoch: 3).Restore<Model>());
        Assert.Contains("EXCL_CHECKPOINT_EPOCH is 3", error.Message, StringComparison.Ordinal);
        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
        Assert.Contains("excl-state-1.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_state_that_fails_part_way_leaves_the_previous_checkpoint_no_partial_file_and_no_report()
    {
        var folder = Programs.TempFolder();
        var output = new StringWriter();
        var trial = Trial(folder, output: output);
        trial.Report(1, Loss, checkpoint: new Model { Name = "good" });

        Assert.Throws<InvalidOperationException>(() => trial.Report(2, Loss, checkpoint: new FailingModel()));

        Assert.Equal(["excl-state-1.json"], Names(folder));
        Assert.Equal(1, output.ToString().Count(c => c == '\n'));
        Assert.Equal("good", Trial(folder, checkpointEpoch: 1).Restore<Model>().State!.Name);
    }

    [Fact]
    public void A_partial_file_left_by_a_killed_process_is_removed_on_restore()
    {
        var folder = Programs.TempFolder();
        Trial(folder).Report(1, Loss, checkpoint: new Model());
        File.WriteAllText(Path.Combine(folder, "excl-state-2.json.partial"), "{\"epoch\": 2, \"sta");

        Assert.Equal(1, Trial(folder, checkpointEpoch: 1).Restore<Model>().Epoch);
        Assert.Equal(["excl-state-1.json"], Names(folder));
    }

    [Fact]
    public async Task A_reader_watching_the_folder_while_large_states_are_written_only_ever_sees_whole_files()
    {
        var folder = Programs.TempFolder();
        var trial = Trial(folder);
        using var writing = new CancellationTokenSource();
        var whole = 0;
        var reader = Task.Run(() =>
        {
            do // at least one pass, after the writing when the reader starts late
            {
                foreach (var file in Directory.GetFiles(folder, "excl-state-*.json"))
                {
                    byte[] bytes;
                    try
                    {
                        bytes = File.ReadAllBytes(file);
                    }
                    catch (FileNotFoundException)
                    {
                        continue; // an old state dropped between the listing and the read
                    }
                    // Throws (and fails the test) on a partial file.
                    using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions());
                    Assert.Equal(Path.GetFileName(file), $"excl-state-{document.RootElement.GetProperty("epoch").GetInt32()}.json");
                    whole++;
                }
            }
            while (!writing.IsCancellationRequested);
        });
        var weights = Enumerable.Range(0, 200_000).Select(i => i / 7.0).ToArray();
        for (var epoch = 1; epoch <= 30; epoch++)
            trial.Report(epoch, Loss, checkpoint: new Model { Weights = weights });
        await writing.CancelAsync();
        await reader;

        Assert.True(whole > 0, "the reader never read a state file");
    }

    /// <summary>An output that records what the folder holds at the moment a line is written.</summary>
    private sealed class WriterThatLooks(Action look) : StringWriter
    {
        public override void Write(string? value)
        {
            look();
            base.Write(value);
        }
    }
}
