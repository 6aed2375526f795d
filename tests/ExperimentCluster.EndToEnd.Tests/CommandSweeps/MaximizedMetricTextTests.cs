using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ExperimentCluster.EndToEnd.Tests.CommandSweeps;

/// <summary>A `mode: max` sweep under TPE and ASHA: the strategy's explanation and the stopped runs' reasons name the metric
/// with its own value, as the answer and the tables do; the runs carry it negated, and those texts showed the negation.</summary>
[Collection(CommandSweepGroup.Name)]
public sealed class MaximizedMetricTextTests
{
    /// <summary>An accuracy that peaks at a learning rate of 0.01, every epoch reported, no file of its own.</summary>
    private const string Sweep = """
        { "name": "acc-tpe",
          "command": { "run": ["python3", "-c",
              "import json, math, os\nlr = float(os.environ['EXCL_PARAM_LEARNING_RATE'])\nfor e in range(1, 10):\n    print(json.dumps(dict(epoch=e, val_accuracy=round(1 - (math.log10(lr) + 2) ** 2 / 10 - 0.3 / e, 6))), flush=True)"],
            "metric": "val_accuracy", "mode": "max", "epochs": 9 },
          "search": { "strategy": "tpe", "trials": 14, "space": { "learning_rate": { "log_uniform": [0.0001, 1] } } },
          "early_stopping": { "rule": "asha" } }
        """;

    [Fact]
    public async Task The_explanation_and_the_stop_reasons_show_the_metric_as_itself()
    {
        var dir = Programs.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(dir, "sweep.json"), Sweep);
        var run = await Programs.ExclAsync(dir, TimeSpan.FromMinutes(3), "run", "sweep.json", "--id", "acc", "--data-dir", "data", "--json");
        Assert.True(run.Code == 0, $"exit {run.Code}\n{run.Out}\n{run.Err}");

        var export = await Programs.ExclAsync(dir, TimeSpan.FromMinutes(1), "export", "acc", "--format", "json", "--data-dir", "data");
        Assert.True(export.Code == 0, export.Err);
        var results = JsonNode.Parse(export.Out)!;

        var explanation = (string)results["explanation"]!;
        var best = Regex.Match(explanation, "Best so far: trial ([0-9]+), val_accuracy ([0-9.]+),");
        Assert.True(best.Success, explanation);
        var bestRun = results["runs"]!.AsArray().Single(r => (int)r!["run"]! == int.Parse(best.Groups[1].Value, CultureInfo.InvariantCulture))!;
        var bestFinal = (double)bestRun["epochs"]!.AsArray()[^1]!["val_accuracy"]!;
        Assert.Equal(bestFinal, double.Parse(best.Groups[2].Value, CultureInfo.InvariantCulture), 3);

        var stopped = results["runs"]!.AsArray().Where(r => (string?)r!["status"] == "stopped").ToList();
        Assert.NotEmpty(stopped);
        Assert.All(stopped, r =>
        {
            var reason = (string)r!["reason"]!;
            var value = Regex.Match(reason, "; val_accuracy ([0-9.]+)$");
            Assert.True(value.Success, reason);
            // The value at the rung: an accuracy (positive), at most the best the run reached.
            Assert.InRange(double.Parse(value.Groups[1].Value, CultureInfo.InvariantCulture), 0.01, -(double)r["best_val_loss"]! + 5e-4);
        });

        // The leaderboard leaves out the accuracy column, which would repeat the metric's "final" column.
        var show = await Programs.ExclAsync(dir, TimeSpan.FromMinutes(1), "show", "acc", "--data-dir", "data");
        Assert.True(show.Code == 0, show.Err);
        var shownFinal = bestFinal.ToString("0.00000", CultureInfo.InvariantCulture);
        var row = show.Out.Split('\n').First(l => l.StartsWith($"│ {best.Groups[1].Value} ", StringComparison.Ordinal));
        Assert.Equal(2, Regex.Count(row, Regex.Escape(shownFinal)));
    }
}
