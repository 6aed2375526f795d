using ExperimentCluster.Trial;

namespace ExperimentCluster.EndToEnd.Tests.Trials;

/// <summary>The .NET helper's report lines: the protocol's format, number for number.</summary>
public sealed class TrialReportTests
{
    private static (TrialContext Trial, StringWriter Output) NewTrial()
    {
        var output = new StringWriter();
        var trial = TrialContext.FromVariables(new Dictionary<string, string> { ["EXCL_CHECKPOINT_DIR"] = Programs.TempFolder() }, output);
        return (trial, output);
    }

    [Fact]
    public void A_report_is_one_line_spaced_as_pythons_json_writes_it()
    {
        var (trial, output) = NewTrial();
        trial.Report(3, new Dictionary<string, double> { ["val_loss"] = 0.412, ["train_loss"] = 0.388 }, checkpoint: "state");
        trial.Report(4, new Dictionary<string, double> { ["val_loss"] = 0.25 });

        Assert.Equal("{\"epoch\": 3, \"val_loss\": 0.412, \"train_loss\": 0.388, \"checkpoint\": true}\n{\"epoch\": 4, \"val_loss\": 0.25}\n", output.ToString());
    }

    [Fact]
    public void Non_finite_numbers_are_bare_NaN_Infinity_and_minus_Infinity_tokens()
    {
        var (trial, output) = NewTrial();
        trial.Report(1, new Dictionary<string, double> { ["a"] = double.NaN, ["b"] = double.PositiveInfinity, ["c"] = double.NegativeInfinity });

        Assert.Equal("{\"epoch\": 1, \"a\": NaN, \"b\": Infinity, \"c\": -Infinity}\n", output.ToString());
    }

    [Fact]
    public void Every_number_reads_back_as_the_same_double()
    {
        var values = new[] { 0.1, 1.0 / 3, 1e-300, 5e-324, double.MaxValue, -2.5e17, 123456789.0, 0.0 };
        var (trial, output) = NewTrial();
        trial.Report(1, values.Select((v, i) => KeyValuePair.Create($"m{i}", v)));

        var report = ReportLines.ParseLine(output.ToString().TrimEnd('\n'));
        for (var i = 0; i < values.Length; i++)
            Assert.Equal(values[i], report.Metric($"m{i}"));
    }

    [Fact]
    public void A_metric_name_is_written_as_a_json_string()
    {
        var (trial, output) = NewTrial();
        trial.Report(1, new Dictionary<string, double> { ["odd \"name\"\\ é"] = 1 });

        var report = ReportLines.ParseLine(output.ToString().TrimEnd('\n'));
        Assert.Equal(1.0, report.Metric("odd \"name\"\\ é"));
    }

    [Theory]
    [InlineData("epoch")]
    [InlineData("step")]
    [InlineData("checkpoint")]
    [InlineData("")]
    public void A_reserved_or_empty_metric_name_is_refused_before_anything_is_printed_or_saved(string name)
    {
        var (trial, output) = NewTrial();
        var error = Assert.Throws<ArgumentException>(() => trial.Report(1, new Dictionary<string, double> { [name] = 1 }, checkpoint: "state"));

        Assert.Contains(name.Length > 0 ? $"'{name}'" : "empty", error.Message, StringComparison.Ordinal);
        Assert.Empty(output.ToString());
        Assert.Empty(Directory.GetFiles(trial.CheckpointDirectory));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void An_epoch_below_1_is_refused(int epoch)
    {
        var (trial, output) = NewTrial();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => trial.Report(epoch, new Dictionary<string, double> { ["val_loss"] = 1 }));

        Assert.Contains("from 1", error.Message, StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public void A_metric_given_twice_is_refused()
    {
        var (trial, _) = NewTrial();
        var twice = new[] { KeyValuePair.Create("val_loss", 1.0), KeyValuePair.Create("val_loss", 2.0) };

        var error = Assert.Throws<ArgumentException>(() => trial.Report(1, twice));
        Assert.Contains("'val_loss' is given twice", error.Message, StringComparison.Ordinal);
    }
}
