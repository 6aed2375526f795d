using System.Text.Json;

namespace ExperimentCluster.Tuning.Tests;

/// <summary>Drives a strategy the way the sweep grain does: keep up to <c>concurrency</c> trials running, finish one at a
/// time in an order drawn from a seeded generator, ask for more. Optionally stops halfway, serialises the history, builds a
/// fresh strategy from the catalog and carries on, as a restarted coordinator would.</summary>
internal sealed class SweepSimulator(string strategyName, string settingsJson, SearchSpace space, ulong seed, int maxTrials, int concurrency)
{
    public static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public Func<IReadOnlyDictionary<string, string>, double?> Objective { get; init; } = Spaces.Objective;

    public List<Trial> History { get; } = [];

    /// <summary>The measurement runs the strategy asked for (lr-range: range tests), finished at once with their result.</summary>
    public List<Measurement> Measurements { get; } = [];

    /// <summary>A stand-in range test: the rate it suggests for a configuration's architecture. Counts every call.</summary>
    public Func<IReadOnlyDictionary<string, string>, double> RangeTest { get; init; } = Spaces.RangeTest;

    public int RangeTests { get; private set; }

    /// <summary>The configurations in the order they were suggested.</summary>
    public List<string> Run(int? restartAfterEvents = null)
    {
        var strategy = StrategyCatalog.Create(strategyName, Spaces.Settings(settingsJson));
        var order = new Random(12345);
        var events = 0;
        var suggested = new List<string>();
        while (true)
        {
            if (restartAfterEvents == events)
            {
                var stored = JsonSerializer.Serialize(History, Json);
                History.Clear();
                History.AddRange(JsonSerializer.Deserialize<List<Trial>>(stored, Json)!);
                var measurements = JsonSerializer.Serialize(Measurements, Json);
                Measurements.Clear();
                Measurements.AddRange(JsonSerializer.Deserialize<List<Measurement>>(measurements, Json)!);

                strategy = StrategyCatalog.Create(strategyName, Spaces.Settings(settingsJson));
            }

            events++;
            var running = History.Count(t => t.State == TrialState.Running);
            if (running < concurrency)
            {
                Measure(strategy, concurrency - running);
                foreach (var config in strategy.Suggest(Context(), concurrency - running))
                {
                    suggested.Add(TrialConfig.From(config).Key);
                    History.Add(new Trial(History.Count, config, TrialState.Running, [], null, null));
                }
            }

            var runningNow = History.Where(t => t.State == TrialState.Running).ToArray();
            if (runningNow.Length == 0)
            {
                Assert.True(strategy.IsFinished(Context()), "a strategy with nothing running proposed nothing but is not finished");
                return suggested;
            }

            var done = runningNow[order.Next(runningNow.Length)];
            var value = Objective(done.Config);
            History[done.Number] = value is { } v
                ? done with { State = TrialState.Completed, Values = [new RungValue(1, v, events)], FinalValue = v }
                : done with { State = TrialState.Diverged, Values = [new RungValue(1, double.NaN, events)], FinalValue = double.NaN, DivergedAtEpoch = 1 };
        }
    }

    public SearchContext Context() => new(space, seed, History, maxTrials, 1) { Measurements = Measurements };

    /// <summary>What the sweep grain does with the measurements a strategy asks for, here finished at once: a range test's
    /// result is the stand-in's suggestion.</summary>
    private void Measure(ISearchStrategy strategy, int count)
    {
        while (strategy.Measurements(Context(), count) is { Count: > 0 } requests)
        {
            foreach (var request in requests)
            {
                RangeTests++;
                Measurements.Add(new Measurement(request.Kind, request.Config, true, RangeTest(request.Config)));
            }
        }
    }
}
