using System.Globalization;

namespace ExperimentCluster.Tuning.Tests.Strategies;

/// <summary>
/// After a running sweep's space is edited, a strategy sees the new space and the whole history, including trials outside
/// it. Every strategy must go on proposing points of the new space only: random draws from the space it is given; TPE fits
/// each parameter to the values that lie inside its domain (one outside is ignored for that parameter); grid and lr-range
/// treat a point outside as never tried; lr-decades ignores runs of a removed companion value (and refuses a change to its
/// rates, see SweepEditTests).
/// </summary>
public sealed class EditedSpaceTests
{
    private static readonly SearchSpace Wide = new([
        new Parameter("learning_rate", new LogUniformDomain(1e-5, 1)),
        new Parameter("activation", new ValuesDomain(["\"relu\"", "\"tanh\""])),
    ]);

    private static readonly SearchSpace Narrow = new([
        new Parameter("learning_rate", new LogUniformDomain(1e-3, 1e-2)),
        new Parameter("activation", new ValuesDomain(["\"relu\"", "\"elu\""])),
    ]);

    /// <summary>Twenty finished trials of the wide space, most of them outside the narrow one, with losses that favour
    /// a learning rate far outside it (so that a model fitted to them unclipped would pull proposals out).</summary>
    private static List<Trial> WideHistory()
    {
        var history = new List<Trial>();
        for (var n = 0; n < 20; n++)
        {
            var config = SpaceSampler.RandomConfig(Wide, 3, n);
            var rate = double.Parse(config["learning_rate"], CultureInfo.InvariantCulture);
            var loss = Math.Abs(Math.Log10(rate) + 4.5);
            history.Add(new Trial(n, config, TrialState.Completed, [new RungValue(1, loss, n)], loss, null));
        }
        return history;
    }

    private static readonly string[] SurveyRates = ["0.01", "0.001", "0.1"];

    private static readonly string[] OldBatches = ["16", "64"];

    public static TheoryData<string> Strategies() => ["random", "tpe", "lr-range"];

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Proposals_after_a_narrowing_lie_inside_the_new_space(string name)
    {
        var strategy = StrategyCatalog.Create(name, name == "tpe"
            ? new Dictionary<string, System.Text.Json.JsonElement> { ["n_startup"] = System.Text.Json.JsonSerializer.SerializeToElement(5) }
            : null);
        strategy.ValidateEdit(Wide, Narrow);
        var history = WideHistory();
        Assert.Contains(history, t => !Narrow.Contains(t.Config));
        var context = new SearchContext(Narrow, 3, history, 100, 5);
        // lr-range measures each architecture first: give it a finished range test for each, as the sweep would.
        if (name == "lr-range")
        {
            context = context with
            {
                Measurements = ((ValuesDomain)Narrow.Parameters[1].Domain).Values.Select(a => new Measurement(LrRangeSearch.MeasurementKind,
                    new Dictionary<string, string> { ["learning_rate"] = "0.001", ["activation"] = a }, true, 0.5)).ToList(),
            };
        }

        var proposals = strategy.Suggest(context, 30);

        Assert.Equal(30, proposals.Count);
        Assert.All(proposals, p => Assert.True(Narrow.Contains(p), $"{name} proposed {TrialConfig.From(p)} outside the space"));
        Assert.False(strategy.IsFinished(context));
        Assert.NotEmpty(strategy.Explain(context));
    }

    [Fact]
    public void A_grid_proposes_its_new_points_and_treats_removed_ones_as_never_part_of_it()
    {
        var before = new SearchSpace([new Parameter("learning_rate", new ValuesDomain(["0.001", "0.01", "0.1"]))]);
        var after = new SearchSpace([new Parameter("learning_rate", new ValuesDomain(["0.01", "0.1", "1"]))]);
        var history = before.Parameters[0].Domain is ValuesDomain v
            ? v.Values.Take(2).Select((x, n) => new Trial(n, new Dictionary<string, string> { ["learning_rate"] = x }, TrialState.Completed, [], 1.0, null)).ToList()
            : [];
        var grid = StrategyCatalog.Create("grid");
        grid.ValidateEdit(before, after);

        var context = new SearchContext(after, 0, history, 4, 5);

        Assert.Equal(["0.1", "1"], grid.Suggest(context, 10).Select(p => p["learning_rate"]));
    }

    [Fact]
    public void Lr_decades_tries_its_surveyed_rates_with_an_added_companion_value_and_ignores_a_removed_one()
    {
        Parameter Rate() => new("learning_rate", new LogUniformDomain(1e-6, 100));
        var before = new SearchSpace([Rate(), new Parameter("batch_size", new ValuesDomain(["16", "64"]))]);
        var after = new SearchSpace([Rate(), new Parameter("batch_size", new ValuesDomain(["16", "32"]))]);
        var strategy = StrategyCatalog.Create("lr-decades");
        strategy.ValidateEdit(before, after);
        // The survey (0.01, 0.001, 0.1) ran with both batch sizes of the old space.
        var history = SurveyRates
            .SelectMany(rate => OldBatches.Select(batch => (rate, batch)))
            .Select((p, n) => new Trial(n, new Dictionary<string, string> { ["learning_rate"] = p.rate, ["batch_size"] = p.batch }, TrialState.Completed, [], 0.5, null))
            .ToList();

        var proposals = strategy.Suggest(new SearchContext(after, 0, history, 100, 5), 3);

        Assert.Equal(["0.01", "0.001", "0.1"], proposals.Select(p => p["learning_rate"]));
        Assert.All(proposals, p => Assert.Equal("32", p["batch_size"]));
    }
}
