using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Training;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// `excl lr-find [spec options] [--start-lr 1e-6] [--end-lr 10] [--steps 100] [--json]`: the learning-rate range
/// test with the same model options as `excl train`; prints the curve (sampled) and the suggested rate.
/// </summary>
public static class LrFindCommand
{
    private const int TableRows = 20;

    public static Command Create()
    {
        var training = new TrainingOptions();
        var start = CliOptions.Double("--start-lr", 1e-6, "the first learning rate of the test");
        var end = CliOptions.Double("--end-lr", 10, "the last learning rate of the test");
        var steps = CliOptions.Int("--steps", 100, "mini-batch steps, the rate rising exponentially from start to end");
        var json = CliOptions.Flag("--json", "one JSON object per point, then the suggestion");
        var command = new Command("lr-find", "runs a learning-rate range test and suggests a rate") { start, end, steps, json };
        training.AddTo(command);
        command.SetAction(parse => RunAsync(training.Collect(parse), parse.GetValue(start), parse.GetValue(end), parse.GetValue(steps), parse.GetValue(json)));
        return command;
    }

    public static Task<int> RunAsync(JsonObject options, double start, double end, int steps, bool json)
    {
        if (!(start > 0) || !double.IsFinite(start)) throw new CliException("--start-lr: must be a positive finite number");
        if (!(end > start) || !double.IsFinite(end)) throw new CliException("--end-lr: must be a finite number above --start-lr");
        if (steps < 5) throw new CliException("--steps: must be at least 5");
        var spec = TrainingOptions.Parse(options);

        LrRangeResult result;
        try
        {
            result = LrRangeTest.Run(spec, start, end, steps, TrainingOptions.LocalFiles(spec));
        }
        catch (SpecException e)
        {
            throw TrainingOptions.ToCli(e);
        }
        if (json)
        {
            foreach (var p in result.Points)
            {
                Console.WriteLine(ExclJson.Line(new LrPointLine(p.LearningRate, p.Loss, p.SmoothedLoss)));
            }
            Console.WriteLine(ExclJson.Line(new LrSuggestionLine(result.SuggestedLearningRate, result.Reason, result.Points.Count)));
            return Task.FromResult(0);
        }

        Console.WriteLine($"{"learning_rate",13}  {"loss",10}  {"smoothed",10}");
        var every = Math.Max(1, (result.Points.Count + TableRows - 1) / TableRows);
        for (var i = 0; i < result.Points.Count; i++)
        {
            var p = result.Points[i];
            var suggested = p.LearningRate == result.SuggestedLearningRate;
            if (i % every != 0 && i != result.Points.Count - 1 && !suggested) continue;
            var marker = suggested ? "  <- suggested" : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.LearningRate,13:G4}  {p.Loss,10:F4}  {p.SmoothedLoss,10:F4}{marker}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"suggested learning rate: {result.SuggestedLearningRate:G3}"));
        Console.WriteLine(result.Reason);
        if (LrRangeRule.StillFalling(result.Points))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"to read the valley, try --end-lr {end * 100:G6}"));
        return Task.FromResult(0);
    }
}
