using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.SweepModel;

/// <summary>
/// The next sweep of the practitioner's method (`excl refine`): the same file (training or command block, seeds,
/// stopping rule, concurrency, budget) searching the learning rate around the best one found. Sweeps whose strategy samples
/// ranges (random, TPE, GP) keep it and get a log-uniform range; grids and lr-decades get a finer grid of log-spaced rates, because a
/// handful of rates with every seed each is what those sweeps measure and what their answer compares. The other
/// hyperparameters are fixed at the best configuration's values (a one-value list, so a command sweep's placeholders
/// keep working) unless <paramref name="searchOthers"/> keeps their original space.
/// </summary>
public static class SweepRefinement
{
    public const int MinGrid = 2;
    public const int MaxGrid = 50;

    /// <param name="specJson">The finished sweep's file as stored (JSON, comments allowed).</param>
    /// <param name="answer">The finished sweep's answer (its best configuration and learning rate).</param>
    /// <param name="halfWidthDecades">How far each way from the best rate: 0.5 (half a decade) or 1.</param>
    /// <param name="gridPoints">How many rates a grid gets.</param>
    /// <param name="warmStartFrom">The finished sweep's id: the next sweep starts from its trials (<c>warm_start</c>), so a
    /// rate it measured is not trained again. Null keeps the file's own warm_start, if any.</param>
    /// <param name="measuredRates">The learning rates the finished sweep trained: a grid rate that rounds to the same four
    /// digits as one of them is that rate exactly, so that the warm start finds it.</param>
    public static JsonObject Next(string specJson, SweepAnswer answer, double halfWidthDecades, int gridPoints, bool searchOthers,
        string? warmStartFrom = null, IReadOnlyCollection<double>? measuredRates = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var definition = SweepDefinition.Parse(specJson);
        if (definition.Space.Find(SweepAnswer.LearningRate) is null)
            throw new SweepException("search.space", "the sweep does not search learning_rate: refine works around the best learning rate");
        if (answer.BestLearningRate is not { } best || !(best > 0) || !double.IsFinite(best))
            throw new SweepException("runs", "no run finished with a validation loss: there is no best learning rate to refine around");
        if (gridPoints is < MinGrid or > MaxGrid)
            throw new SweepException("grid", $"must be between {MinGrid} and {MaxGrid}");
        if (halfWidthDecades <= 0)
            throw new SweepException("around", "must be a positive number of decades");

        var root = (JsonObject)JsonNode.Parse(specJson, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        var name = definition.Name.Length > 193 ? definition.Name[..193] : definition.Name;
        root["name"] = name + "-refine";
        var search = (JsonObject)root["search"]!;
        var space = (JsonObject)search["space"]!;
        var low = Round(best / Math.Pow(10, halfWidthDecades));
        var high = Round(best * Math.Pow(10, halfWidthDecades));
        if (definition.CreateStrategy().SamplesRanges)
        {
            space[SweepAnswer.LearningRate] = new JsonObject { ["log_uniform"] = new JsonArray(low, high) };
        }
        else
        {
            // lr-decades' and lr-range's settings mean nothing to a grid, and a grid runs whole.
            search["strategy"] = "grid";
            search.Remove("settings");
            search.Remove("trials");
            space[SweepAnswer.LearningRate] = new JsonObject { ["values"] = new JsonArray(Grid(best, halfWidthDecades, gridPoints, measuredRates).Select(v => (JsonNode)v).ToArray()) };
        }

        if (!searchOthers && answer.BestConfig is { } config)
        {
            foreach (var parameter in definition.Space.Parameters.Where(p => p.Name != SweepAnswer.LearningRate))
            {
                if (config.TryGetValue(parameter.Name, out var value))
                    space[parameter.Name] = new JsonObject { ["values"] = new JsonArray(JsonNode.Parse(value)) };
                // A conditional parameter the best configuration does not read: the refinement does not read it either.
                else if (parameter.When is not null)
                    space.Remove(parameter.Name);
            }
        }

        if (warmStartFrom is not null)
            root[SweepWarmStart.Key] = new JsonObject { ["sweeps"] = new JsonArray(warmStartFrom) };

        // The file written must be one `excl run` takes: checked here, so a bad refinement fails before it is written.
        SweepDefinition.Parse(root.ToJsonString());
        return root;
    }

    /// <summary><paramref name="count"/> rates evenly spaced in log from <paramref name="halfWidthDecades"/> below the best
    /// to as far above, both included; an odd count has the best rate itself in the middle (exactly, not 0.09999). A rate
    /// is written to four significant digits unless one of <paramref name="measured"/> rounds to the same: then it is that
    /// one (lr-decades measures 0.316227766017 half a decade above 0.1; a grid's 0.3162 would train it again).</summary>
    public static IReadOnlyList<double> Grid(double best, double halfWidthDecades, int count, IReadOnlyCollection<double>? measured = null) =>
        Enumerable.Range(0, count)
            .Select(i => halfWidthDecades * (2.0 * i / (count - 1) - 1))
            .Select(e => Math.Abs(e) < 1e-12 ? best : Round(best * Math.Pow(10, e)))
            .Select(x => measured?.FirstOrDefault(m => m > 0 && double.IsFinite(m) && Round(m) == x, x) ?? x)
            .Distinct()
            .ToList();

    /// <summary>Four significant digits: a rate the user reads and types, not 0.031622776601683794.</summary>
    private static double Round(double x) => double.Parse(x.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
