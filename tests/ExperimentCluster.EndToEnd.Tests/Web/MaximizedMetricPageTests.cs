using System.Globalization;
using System.Text.Json.Nodes;
using OpenQA.Selenium;

namespace ExperimentCluster.EndToEnd.Tests.Web;

/// <summary>A command sweep that maximises its metric (`mode: max`): the runs carry the accuracy negated, so that lower is
/// better everywhere; `excl show` and the page show it as itself, the page on linear axes (on log axes its negation drew
/// nothing).</summary>
public sealed class MaximizedMetricPageTests
{
    /// <summary>Accuracy rises with the learning rate (0.9 at 0.1, 0.8 at 0.01, ...), three epochs, no file of its own.</summary>
    private const string Sweep = """
        { "name": "accuracy",
          "command": { "run": ["python3", "-c",
              "import json, math, os\nlr = float(os.environ['EXCL_PARAM_LEARNING_RATE'])\nfor e in range(1, 4):\n    print(json.dumps(dict(epoch=e, val_accuracy=round(1 + 0.1 * math.log10(lr) - 0.1 / e, 6), train_loss=1.0 / e)), flush=True)"],
            "metric": "val_accuracy", "mode": "max", "epochs": 3 },
          "search": { "strategy": "grid", "space": { "learning_rate": { "values": [0.001, 0.01, 0.1] } } } }
        """;

    [Fact]
    public async Task The_tables_and_the_page_show_the_metric_as_itself_and_the_page_draws_every_chart_on_linear_axes()
    {
        var dir = Programs.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(dir, "sweep.json"), Sweep);
        var run = await Programs.ExclAsync(dir, TimeSpan.FromMinutes(2), "run", "sweep.json", "--id", "acc", "--data-dir", "data", "--json");
        Assert.True(run.Code == 0, $"exit {run.Code}\n{run.Out}\n{run.Err}");
        Assert.Contains("final val_accuracy 0.8667 (one seed)", (string?)JsonNode.Parse(Programs.LastLine(run.Out))!["answer"], StringComparison.Ordinal);

        // The console tables too.
        var show = await Programs.ExclAsync(dir, TimeSpan.FromMinutes(2), "show", "acc", "--data-dir", "data");
        Assert.True(show.Code == 0, show.Err);
        Assert.Contains("Leaderboard (best val_accuracy first)", show.Out, StringComparison.Ordinal);
        Assert.Contains("Per value: final val_accuracy across runs", show.Out, StringComparison.Ordinal);
        Assert.Contains("0.86667", show.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("-0.8", show.Out, StringComparison.Ordinal);

        await using var silo = await WebSilo.StartAsync(dir: dir);
        using var browser = new Browser();
        browser.Open(new Uri(silo.BaseAddress, "/#/sweep/acc"));

        // The best and the leaderboard: 0.8667 (0.9 - 0.1/3 at rate 0.1), not -0.8667.
        browser.Until(d => d.FindElement(By.Id("best")) is { Text: "0.8667" } best ? best : null, "the best accuracy, as itself");
        var finals = browser.Driver.FindElements(By.CssSelector("#leaderboard tbody tr")).Select(r => r.FindElements(By.TagName("td"))[6].Text).ToList();
        Assert.Equal(["0.8667", "0.7667", "0.6667"], finals);

        // Every chart holds its points on a linear axis, the metric rising, not on a log axis that cannot show them.
        double[] Ys(string script) => ((IReadOnlyCollection<object>)browser.Driver.ExecuteScript(script)!).Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray();
        browser.Until(d => (bool)((IJavaScriptExecutor)d).ExecuteScript("return document.getElementById('curves').chart.series.length === 3")!, "three curves");
        Assert.Equal(false, browser.Driver.ExecuteScript("return document.getElementById('curves').chart.options.yLog"));
        Assert.All(Ys("return document.getElementById('curves').chart.series.flatMap((s) => s.points.map((p) => p[1]))"), y => Assert.InRange(y, 0.5, 1));
        Assert.Equal(false, browser.Driver.ExecuteScript("return document.getElementById('lr-loss').chart.options.yLog"));
        Assert.Equal([0.6667, 0.7667, 0.8667], Ys("return document.getElementById('lr-loss').chart.points.map((p) => p.y)").Order().Select(y => Math.Round(y, 4)));
        var best = Ys("return document.getElementById('best-so-far').chart.series[0].points.map((p) => p[1])");
        Assert.All(best.Zip(best.Skip(1)), pair => Assert.True(pair.Second >= pair.First, $"the best accuracy so far falls from {pair.First} to {pair.Second}"));
        Assert.Equal(0.8667, Math.Round(best[^1], 4));
        browser.Screenshot("maximized-metric");

        // The run page, the same way.
        browser.Open(new Uri(silo.BaseAddress, "/#/sweep/acc/run/2"));
        browser.Until(d => d.FindElement(By.Id("run-facts")) is var facts && facts.Text.Contains("final val_accuracy 0.8667", StringComparison.Ordinal) ? facts : null, "the run's final accuracy");
        Assert.Equal(false, browser.Driver.ExecuteScript("return document.getElementById('run-curve').chart.options.yLog"));
    }
}
