using ExperimentCluster.Cli.Commands;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>The console tables show a configuration to read, not to copy: long numbers to four significant digits.</summary>
public sealed class SweepPrinterTests
{
    [Fact]
    public void A_configuration_shows_long_numbers_to_four_significant_digits_and_everything_else_as_it_is()
    {
        var config = new Dictionary<string, string>
        {
            ["learning_rate"] = "0.04486643344738848",
            ["weight_decay"] = "1.2492524606784225E-05",
            ["momentum"] = "0.9",
            ["neurons"] = "128",
            ["layers"] = "[32,32]",
            ["activation"] = "\"tanh\"",
            ["tag"] = "\"12345678.9\"",
        };
        Assert.Equal(
            "activation=tanh layers=[32,32] learning_rate=0.04487 momentum=0.9 neurons=128 tag=12345678.9 weight_decay=1.249E-05",
            SweepPrinter.ConfigText(config));
    }

    [Theory]
    [InlineData(0.0431234567, "0.04312")]
    [InlineData(1.5, "1.5")]
    [InlineData(0.0, "0")]
    [InlineData(4717340487.61731, "4.717E+09")]
    [InlineData(0.0000012341, "1.234E-06")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(null, "-")]
    public void A_loss_shows_five_decimals_or_four_significant_digits_when_it_is_huge_or_tiny(double? loss, string shown) =>
        Assert.Equal(shown, SweepPrinter.Num(loss));

    [Fact]
    public void A_values_runs_show_how_many_completed_the_mean_is_over() =>
        Assert.Equal("1 / 4", SweepPrinter.CompletedOfRuns(new ValueSummaryView("weight_decay", "\"1E-05..0.0001\"", 4, 1, 0.17, null, 0, 0.05)));

    [Theory]
    [InlineData("s: 4/34 runs finished", null, 100_000, true)] // the first line at once (nothing printed since the start)
    [InlineData("s: 5/34 runs finished", "s: 4/34 runs finished", 5, true)]
    [InlineData("s: 5/34 runs finished", "s: 4/34 runs finished", 2, false)] // a change waits out 5 s
    [InlineData("s: 4/34 runs finished", "s: 4/34 runs finished", 5, false)] // the same line is not repeated every 5 s
    [InlineData("s: 4/34 runs finished", "s: 4/34 runs finished", 60, true)] // but once a minute, to show it is alive
    public void A_piped_progress_line_is_printed_when_it_changes_and_repeated_only_once_a_minute(string line, string? printed, int seconds, bool print) =>
        Assert.Equal(print, LiveView.ShouldPrint(line, printed, TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("", false, null)] // the default data folder: the answer's own step is right
    [InlineData("--data-dir d", false, "next, with this data folder: excl refine s1 --data-dir d --out refine.json && excl run refine.json --data-dir d")]
    [InlineData("--gateway a:1,b:2", true, "next, on this cluster: excl refine s1 --gateway a:1,b:2 --run")]
    public void The_next_step_carries_the_options_that_reach_the_sweep_again(string options, bool cluster, string? next)
    {
        Assert.Equal(next, ExperimentCluster.Tuning.SweepAnswer.NextStep("s1", "the best learning rate is 0.1: ...; next: excl refine s1 --out refine.json && excl run refine.json.", options, cluster));
        Assert.Null(ExperimentCluster.Tuning.SweepAnswer.NextStep("s1", "no answer: every run failed", options, cluster));
    }

    [Fact]
    public void Failed_runs_are_listed_with_their_reasons_the_first_five_and_how_to_read_their_output()
    {
        var runs = Enumerable.Range(0, 8).Select(n => new RunView("s1", n, new Dictionary<string, string> { ["x"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            n == 0 ? RunStatus.Completed : RunStatus.Failed, n == 0 ? null : $"exit code {n} at epoch 0; standard error ends:\nline {n}", 0, null, null, null, null, 0, null, 0)).Reverse();
        var lines = SweepPrinter.FailedRunLines("s1", runs, words => "excl " + words + " --data-dir d");
        Assert.Equal("failed: run 1 (x=1): exit code 1 at epoch 0; standard error ends:\n    line 1", lines[0]);
        Assert.Equal(5, lines.Count(l => l.StartsWith("failed: ", StringComparison.Ordinal)));
        Assert.Equal("... and 2 more failed runs (excl export gives every run's reason)", lines[^2]);
        Assert.Equal("a run's output: excl logs s1 1 --data-dir d", lines[^1]);
        Assert.Empty(SweepPrinter.FailedRunLines("s1", runs.Where(r => r.Status != RunStatus.Failed), w => w));
    }

    [Fact]
    public void Where_the_next_step_is_printed_apart_the_answer_leaves_its_own_out()
    {
        Assert.Equal("the best learning rate is 0.1: 0.2 (one seed); 1 diverged.",
            ExperimentCluster.Tuning.SweepAnswer.WithoutNextStep("the best learning rate is 0.1: 0.2 (one seed); 1 diverged; next: excl refine s1 --out refine.json && excl run refine.json."));
        Assert.Equal("no answer: every run failed", ExperimentCluster.Tuning.SweepAnswer.WithoutNextStep("no answer: every run failed"));
    }
}
