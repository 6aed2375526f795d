using ExperimentCluster.Cli.Commands;
using ExperimentCluster.Contracts;
using ScottPlot;
using ScottPlot.Plottables;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>What `excl plot` draws, read from the plots before they are written: the metric a command sweep maximises as
/// itself on linear axes (its negation, which the runs carry, has no logarithm and drew empty plots), and the values of a
/// hyperparameter in the order of the per-value summaries (the panels sorted them as text: 1E-05 after 0.01).</summary>
public sealed class PlotContentTests
{
    private const string MaximizedSpec = """
        { "name": "accuracy",
          "command": { "run": ["python3", "train.py"], "metric": "val_accuracy", "mode": "max", "epochs": 3 },
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.001, 0.01, 0.1] } } } }
        """;

    private static readonly string[] Rates = ["0.001", "0.01", "0.1"];

    [Theory]
    [InlineData(0.14, 1.8, new[] { 0.15, 0.2, 0.3, 0.5, 0.7, 1, 1.5 })] // automatic ticks on the logarithms: 1.78, 1.58, 1.41, ...
    [InlineData(0.02, 0.9, new[] { 0.02, 0.05, 0.1, 0.2, 0.5 })]
    [InlineData(0.3, 0.5, new[] { 0.3, 0.4, 0.5 })]
    [InlineData(5.1, 6.3, new[] { 5.2, 5.4, 5.6, 5.8, 6, 6.2 })]
    public void A_log_axis_under_two_decades_ticks_on_round_numbers(double lo, double hi, double[] inside)
    {
        var ticks = PlotCommand.RoundLogTicks(Math.Log10(lo), Math.Log10(hi));
        Assert.Equal(inside, ticks.Where(t => t >= lo && t <= hi));
        Assert.InRange(ticks.Count, 3, 12);
    }

    [Theory]
    [InlineData(1e-4, "1e-4")]
    [InlineData(2e-4, "2e-4")] // a round tick under two decades: it read "1e-4", the decade's name
    [InlineData(1.5e-6, "1.5e-6")]
    [InlineData(0.002, "0.002")]
    [InlineData(1.5, "1.5")]
    [InlineData(1e6, "1e6")]
    public void A_log_axis_tick_reads_as_its_number(double value, string label) =>
        Assert.Equal(label, PlotCommand.TickLabel(value));

    [Fact]
    public void A_metric_to_maximise_is_drawn_as_itself_on_linear_axes()
    {
        // Accuracy 0.6, 0.7, 0.8 at the three rates, rising over three epochs; the runs carry it negated.
        var runs = Rates.Select((rate, i) => Run(i, rate, [-(0.4 + 0.1 * i), -(0.5 + 0.1 * i), -(0.6 + 0.1 * i)])).ToList();
        var results = Results(MaximizedSpec, runs.Select(r => r.Run).ToList(), []);

        var curves = PlotCommand.BuildLossCurves(results, runs);
        var ys = curves.GetPlottables().OfType<Scatter>().SelectMany(s => s.Data.GetScatterPoints()).Select(p => Math.Round(p.Y, 6)).ToList();
        Assert.Equal(9, ys.Count);
        Assert.Equal([0.4, 0.5, 0.5, 0.6, 0.6, 0.6, 0.7, 0.7, 0.8], ys.Order());
        Assert.Equal("val_accuracy", curves.Axes.Left.Label.Text);
        // Epochs are whole numbers on the axis (three epochs read 1, 1.2, 1.4, ...).
        Assert.True(curves.Axes.Bottom.TickGenerator is ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly: true });

        var rateVsFinal = PlotCommand.BuildLearningRateVsLoss(results, runs);
        Assert.Equal([0.6, 0.7, 0.8], rateVsFinal.GetPlottables().OfType<Marker>().Select(m => Math.Round(m.Location.Y, 6)).Order());
        Assert.Equal("final val_accuracy", rateVsFinal.Axes.Left.Label.Text);
    }

    [Fact]
    public void A_parameters_bars_keep_the_order_of_the_per_value_summaries_and_a_maximised_metric_reads_as_itself()
    {
        // The order the summaries give (ValueOrder: by number), not the text order that put "1E-05..0.0001" last.
        List<ValueSummaryView> perValue =
        [
            new("weight_decay", "\"1E-05..0.0001\"", 2, 2, -0.9, 0.01, 0, -0.91),
            new("weight_decay", "\"0.0001..0.001\"", 2, 2, -0.8, 0.01, 0, -0.81),
            new("weight_decay", "\"0.001..0.01\"", 2, 2, -0.7, 0.01, 0, -0.71),
        ];
        var (multiplot, panels) = PlotCommand.BuildPerHyperparameter(Results(MaximizedSpec, [], perValue));

        Assert.Equal(1, panels);
        var plot = multiplot.GetPlot(0);
        plot.RenderInMemory(1200, 380); // ticks are laid out when drawn
        var ticks = plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).OrderBy(t => t.Position).Select(t => t.Label);
        Assert.Equal(["1E-05..0.0001", "0.0001..0.001", "0.001..0.01"], ticks);
        Assert.Equal([0.9, 0.8, 0.7], plot.GetPlottables().OfType<BarPlot>().SelectMany(b => b.Bars).OrderBy(b => b.Position).Select(b => Math.Round(b.Value, 6)));
    }

    private const string LossSpec = """
        { "name": "loss", "training": { "dataset": "iris", "epochs": 2 },
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.001, 0.01, 0.1] } } } }
        """;

    [Fact]
    public void Runs_that_all_end_at_one_loss_get_that_loss_as_the_one_tick()
    {
        // Three runs ending at 0.1: round ticks around one value crowded into a smudge (0.096, 0.098, 0.1, ...).
        var runs = Rates.Select((rate, i) => Run(i, rate, [0.3, 0.1])).ToList();
        var plot = PlotCommand.BuildLearningRateVsLoss(Results(LossSpec, runs.Select(r => r.Run).ToList(), []), runs);
        plot.RenderInMemory(1200, 700);
        Assert.Equal(["0.1"], plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label));
    }

    private static RunDetail Run(int number, string rate, double[] valLosses)
    {
        var config = new Dictionary<string, string> { ["learning_rate"] = rate, ["seed"] = "0" };
        var view = new RunView("acc", number, config, RunStatus.Completed, null, valLosses.Length, valLosses.Min(), valLosses[^1], null, null, valLosses.Length, null, 0);
        var epochs = valLosses.Select((v, e) => new EpochRecord(e + 1, 1.0 / (e + 1), v, null, double.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), 0.1, e + 1)).ToList();
        return new RunDetail(view, "{}", epochs, null);
    }

    private static SweepResults Results(string spec, IReadOnlyList<RunView> runs, IReadOnlyList<ValueSummaryView> perValue) =>
        new(new SweepView("acc", "accuracy", SweepStatus.Completed, runs.Count, new Dictionary<RunStatus, int> { [RunStatus.Completed] = runs.Count },
            runs.Count > 0 ? runs.Min(r => r.BestValLoss) : null, 0, new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero), null, 9),
            runs, perValue, "", spec);
}
