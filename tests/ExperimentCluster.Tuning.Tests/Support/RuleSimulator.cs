using System.Text.Json;

namespace ExperimentCluster.Tuning.Tests;

/// <summary>Drives a stopping rule the way the sweep grain does, asynchronously: up to <c>concurrency</c> trials run; a
/// seeded generator picks which reports its next epoch; the value is recorded when the rule records that epoch; the rule
/// decides; a stopped trial ends. Every decision is kept so that it can be replayed against the final history.</summary>
internal sealed class RuleSimulator(IStoppingRule rule, int trials, int maxEpochs, int concurrency, int seed)
{
    public List<Trial> History { get; } = [];

    /// <summary>When set, the values are also fed to this index, as the sweep grain does, and the rule gets it.</summary>
    public RuleValueIndex? Index { get; init; }

    public List<(int Trial, int Epoch, StopDecision Decision)> Decisions { get; } = [];

    /// <summary>Each trial's value at epoch e: its own floor plus a decaying term plus a little noise; every 13th diverges at epoch 4.</summary>
    public Func<int, int, double> Curve { get; init; } = DefaultCurve;

    public static double DefaultCurve(int trial, int epoch)
    {
        var rng = new Random(trial * 7919);
        var floor = rng.NextDouble();
        var speed = 0.5 + rng.NextDouble();
        if (trial % 13 == 12 && epoch >= 4)
        {
            return double.NaN;
        }

        return floor + (speed / epoch) + (0.01 * new Random((trial * 1000) + epoch).NextDouble());
    }

    public RuleSimulator Run()
    {
        var order = new Random(seed);
        var recorded = rule.RecordedEpochs(maxEpochs);
        var epochs = new Dictionary<int, int>();
        long sequence = 0;
        var started = 0;
        while (true)
        {
            while (started < trials && History.Count(t => t.State == TrialState.Running) < concurrency)
            {
                History.Add(new Trial(started, new Dictionary<string, string> { ["x"] = started.ToString(System.Globalization.CultureInfo.InvariantCulture) }, TrialState.Running, [], null, null));
                epochs[started++] = 0;
            }

            var running = History.Where(t => t.State == TrialState.Running).ToArray();
            if (running.Length == 0)
            {
                return this;
            }

            var trial = running[order.Next(running.Length)];
            var epoch = ++epochs[trial.Number];
            var value = Curve(trial.Number, epoch);
            sequence++;
            var values = trial.Values;
            if (recorded is null || recorded.Contains(epoch))
            {
                var rungValue = new RungValue(epoch, value, sequence);
                values = [.. values, rungValue];
                Index?.Add(trial.Number, rungValue);
            }

            if (double.IsNaN(value))
            {
                History[trial.Number] = trial with { State = TrialState.Diverged, Values = values, FinalValue = value, DivergedAtEpoch = epoch };
                continue;
            }

            History[trial.Number] = trial with { Values = values, FinalValue = value };
            var decision = rule.Decide(new StoppingContext(History, maxEpochs) { Index = Index }, trial.Number, epoch);
            Decisions.Add((trial.Number, epoch, decision));
            if (decision.Stop)
            {
                History[trial.Number] = History[trial.Number] with { State = TrialState.Stopped };
            }
            else if (epoch == maxEpochs)
            {
                History[trial.Number] = History[trial.Number] with { State = TrialState.Completed };
            }
        }
    }

    public List<Trial> StoredHistory() =>
        JsonSerializer.Deserialize<List<Trial>>(JsonSerializer.Serialize(History, SweepSimulator.Json), SweepSimulator.Json)!;
}
