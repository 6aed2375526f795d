using System.Text.Json.Nodes;
using ExperimentCluster.Contracts;
using ExperimentCluster.Contracts.Json;

namespace ExperimentCluster.Grains.Tests.Json;

/// <summary>The one serializer configuration that the CLI's --json lines, the export and the HTTP API share.</summary>
public sealed class ExclJsonTests
{
    private static readonly EpochRecord Epoch = new(3, 0.25, 0.5, 0.875, 0.01, 1.5, 120);

    [Fact]
    public void NaN_and_both_infinities_are_written_as_null_and_read_back_as_NaN()
    {
        var line = ExclJson.Line(new EpochJson(4, double.NaN, double.PositiveInfinity, null, double.NegativeInfinity, 0.5, 7));

        Assert.Equal("""{"epoch":4,"train_loss":null,"val_loss":null,"val_accuracy":null,"learning_rate":null,"seconds":0.5,"steps":7}""", line);
        var back = ExclJson.Read<EpochJson>(line)!;
        Assert.True(double.IsNaN(back.TrainLoss) && double.IsNaN(back.ValLoss) && double.IsNaN(back.LearningRate));
        Assert.Null(back.ValAccuracy);
    }

    [Fact]
    public void A_summary_lists_the_range_tests_of_a_sweep_that_ran_them_and_no_such_key_otherwise()
    {
        var view = new SweepView("s1", "lr", SweepStatus.Completed, 3, new Dictionary<RunStatus, int> { [RunStatus.Completed] = 3 },
            0.2, 1, new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), null, 4);
        var config = new Dictionary<string, string> { ["layers"] = "[8]", ["learning_rate"] = "0.01", ["seed"] = "0" };
        var test = new RunView("s1", 0, config, RunStatus.Completed, "a tenth of the rate at the lowest smoothed loss", 100, null, null, null, null,
            100, null, 0, "lr_range_test", 0.42);
        var trained = new RunView("s1", 1, config, RunStatus.Completed, null, 2, 0.2, 0.2, 0.9, null, 2, null, 0);

        var with = JsonNode.Parse(ExclJson.Line(SweepSummaryLine.From(new SweepResults(view, [trained], [], "", "{}", [test]))))!;
        var without = JsonNode.Parse(ExclJson.Line(SweepSummaryLine.From(new SweepResults(view, [trained], [], "", "{}", []))))!;

        var listed = with["range_tests"]!.AsArray().Single()!;
        Assert.Equal(0.42, (double)listed["suggested_rate"]!);
        Assert.Equal("lr_range_test", (string?)listed["kind"]);
        Assert.Equal(8, (int)listed["hyperparameters"]!["layers"]![0]!);
        Assert.Null(without.AsObject()["range_tests"]);
    }

    [Fact]
    public void Keys_are_snake_case_and_statuses_lower_case_words_in_records_written_as_they_are()
    {
        var view = new SweepView("s1", "lr", SweepStatus.Running, 6, new Dictionary<RunStatus, int> { [RunStatus.Running] = 2, [RunStatus.Diverged] = 1 },
            0.125, 4, new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), null, 11);

        var json = JsonNode.Parse(ExclJson.Line(view))!.AsObject();

        Assert.Equal(["id", "name", "status", "planned_runs", "counts", "best_val_loss", "best_run", "created_at", "finished_at", "epochs_reported", "reason", "finished_runs"],
            json.Select(p => p.Key));
        Assert.Equal("running", (string?)json["status"]);
        Assert.Equal(2, (int)json["counts"]!["running"]!);
        Assert.Equal(1, (int)json["counts"]!["diverged"]!);
    }

    [Fact]
    public void Text_is_written_as_it_is_with_only_what_json_requires_escaped()
    {
        var view = new SweepView("s1", "0.1962 ± 0.02 \"lr\" <b>&'+ é\u001b", SweepStatus.Running, 1, new Dictionary<RunStatus, int>(),
            null, null, new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), null, 0);

        var line = ExclJson.Line(view);

        Assert.Contains("\"name\":\"0.1962 ± 0.02 \\\"lr\\\" <b>&'+ é\\u001B\",", line, StringComparison.Ordinal);
        Assert.Equal(view.Name, ExclJson.Read<SweepView>(line)!.Name);
    }

    [Fact]
    public void An_epoch_record_round_trips_unchanged()
    {
        var epoch = EpochJson.From(Epoch);

        Assert.Equal(epoch, ExclJson.Read<EpochJson>(ExclJson.Line(epoch)));
    }

    [Fact]
    public void An_export_run_round_trips_to_the_same_bytes_with_hyperparameters_and_settings_as_json_values()
    {
        var run = new RunView("s1", 2, new Dictionary<string, string> { ["layers"] = "[64,32]", ["activation"] = "\"relu\"", ["learning_rate"] = "0.1" },
            RunStatus.Diverged, "loss is NaN", 3, 0.5, double.NaN, null, 3, 2, "silo-a", 1);
        var detail = new RunDetail(run, """{"dataset":"digits","epochs":27}""", [Epoch], 99);
        var line = ExclJson.Line(ExportRunJson.From(detail));

        var json = JsonNode.Parse(line)!;
        Assert.Equal("""{"activation":"relu","layers":[64,32],"learning_rate":0.1}""", json["hyperparameters"]!.ToJsonString());
        Assert.Equal("digits", (string?)json["settings"]!["dataset"]);
        Assert.Equal("diverged", (string?)json["status"]);
        Assert.Equal(3, (int)json["diverged_at_epoch"]!);
        Assert.Equal(line, ExclJson.Line(ExclJson.Read<ExportRunJson>(line)));
    }

    [Fact]
    public void An_epoch_event_line_is_the_epoch_object_with_the_event_and_the_run_in_front()
    {
        var line = ExclJson.Line(new EpochEventLine(5, Epoch));

        Assert.Equal("""{"event":"epoch","run":5,"epoch":3,"train_loss":0.25,"val_loss":0.5,"val_accuracy":0.875,"learning_rate":0.01,"seconds":1.5,"steps":120}""", line);
    }

    [Fact]
    public void Curves_keep_five_significant_digits_and_write_non_finite_losses_as_null()
    {
        var run = new RunView("s1", 1, new Dictionary<string, string>(), RunStatus.Diverged, null, 2, 0.5, null, null, 2, 1, null, 0);
        var detail = new RunDetail(run, "{}", [Epoch with { TrainLoss = 0.123456789 }, Epoch with { Epoch = 4, ValLoss = double.PositiveInfinity }], null);

        var json = JsonNode.Parse(ExclJson.Line(CurveRunJson.From(detail)))!;

        Assert.Equal("[0.12346,0.25]", json["t"]!.ToJsonString());
        Assert.Equal("[0.5,null]", json["v"]!.ToJsonString());
        Assert.Equal(2, (int)json["diverged_at"]!);
    }
}
