using ExperimentCluster.CommandTrials;

namespace ExperimentCluster.Grains.Tests.CommandTrials;

/// <summary>Report lines and log lines as a trial prints them (examples/trial-protocol.md, "What the program prints").</summary>
public sealed class TrialReportParserTests
{
    [Fact]
    public void A_report_has_its_epoch_its_metrics_and_whether_it_made_a_checkpoint()
    {
        var report = TrialReportParser.Parse("""  {"epoch": 3, "val_loss": 0.412, "train_loss": 0.388, "val_accuracy": 0.87, "checkpoint": true}  """)!;
        Assert.Equal(3, report.Epoch);
        Assert.True(report.Checkpoint);
        Assert.Equal(new Dictionary<string, double> { ["val_loss"] = 0.412, ["train_loss"] = 0.388, ["val_accuracy"] = 0.87 }, report.Metrics);
        var step = TrialReportParser.Parse("""{"step": 7, "loss": 1e-3}""")!;
        Assert.Equal((7, false), (step.Epoch, step.Checkpoint));
        Assert.Equal(0.001, step.Metrics["loss"]);
    }

    [Theory]
    [InlineData("""{"epoch": 1, "val_loss": NaN}""", double.NaN)]
    [InlineData("""{"epoch": 1, "val_loss": Infinity}""", double.PositiveInfinity)]
    [InlineData("""{"epoch": 1, "val_loss": -Infinity}""", double.NegativeInfinity)]
    [InlineData("""{"epoch": 1, "val_loss": "NaN"}""", double.NaN)]
    [InlineData("""{"epoch": 1, "val_loss": "Infinity"}""", double.PositiveInfinity)]
    [InlineData("""{"epoch": 1, "val_loss": "-Infinity"}""", double.NegativeInfinity)]
    [InlineData("""{"epoch": 1, "val_loss": null}""", double.NaN)]
    [InlineData("""{"epoch":1,"val_loss":-Infinity,"lr":NaN}""", double.NegativeInfinity)]
    public void Non_finite_values_bare_quoted_or_null_read_as_NaN_or_an_infinity(string line, double expected)
    {
        var report = TrialReportParser.Parse(line)!;
        Assert.Equal(1, report.Epoch);
        Assert.Equal(expected, report.Metrics["val_loss"]);
    }

    [Fact]
    public void A_bare_word_inside_a_string_is_left_alone()
    {
        // "NaN" inside a key or a longer string is not a number to quote: the line still parses, the string is refused as a metric.
        var e = Assert.Throws<FormatException>(() => TrialReportParser.Parse("""{"epoch": 1, "NaN_count": 2, "note": "Infinity and NaN"}"""));
        Assert.Contains("\"note\"", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, TrialReportParser.Parse("""{"epoch": 1, "NaN_count": 2}""")!.Metrics["NaN_count"]);
    }

    [Theory]
    [InlineData("""{"level": "info", "message": "loading data"}""")]
    [InlineData("""{"loss": 0.5}""")]
    [InlineData("""[{"epoch": 1, "val_loss": 0.5}]""")]
    [InlineData("""{"epoch": 1, "val_loss": }""")]
    [InlineData("""{not json at all}""")]
    [InlineData("""{"epoch": 1, "val_loss": 0.5""")]
    [InlineData("""epoch 1: val_loss 0.5""")]
    [InlineData("")]
    [InlineData("{")]
    public void Anything_else_is_a_log_line(string line) => Assert.Null(TrialReportParser.Parse(line));

    [Theory]
    [InlineData("""{"epoch": 0, "val_loss": 0.5}""", "\"epoch\"")]
    [InlineData("""{"epoch": -2, "val_loss": 0.5}""", "\"epoch\"")]
    [InlineData("""{"epoch": 1.5, "val_loss": 0.5}""", "\"epoch\"")]
    [InlineData("""{"epoch": "3", "val_loss": 0.5}""", "\"epoch\"")]
    [InlineData("""{"step": 0}""", "\"step\"")]
    [InlineData("""{"epoch": 1, "val_loss": "low"}""", "\"val_loss\"")]
    [InlineData("""{"epoch": 1, "val_loss": [0.5]}""", "\"val_loss\"")]
    [InlineData("""{"epoch": 1, "val_loss": 0.5, "checkpoint": "yes"}""", "\"checkpoint\"")]
    public void A_line_that_is_a_report_but_breaks_a_rule_says_which(string line, string field)
    {
        var e = Assert.Throws<FormatException>(() => TrialReportParser.Parse(line));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_longer_than_a_report_can_be_is_log()
    {
        var padding = new string(' ', TrialReportParser.MaxReportChars);
        Assert.Null(TrialReportParser.Parse("{\"epoch\": 1, \"val_loss\": 0.5" + padding + "}"));
    }
}
