using ExperimentCluster.Contracts;
using ExperimentCluster.SweepModel;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Grains;

/// <summary>
/// The warm start: at submission the sweeps named in <c>warm_start.sweeps</c> are read once, and their runs that
/// <see cref="WarmStartCompatibility"/> keeps are stored in this sweep's state. The strategy sees them as
/// <see cref="SearchContext.Prior"/>, beside the history; the answer and the per-value summaries count them as measurements
/// of this sweep's space; the leaderboard and the run numbers stay this sweep's own.
/// </summary>
public sealed partial class SweepGrain
{
    private List<Trial>? _prior;

    /// <summary>The compatible finished runs of the sweeps the file names, in the order named, each sweep's by run number.
    /// Throws <see cref="SweepException"/> naming the entry for a sweep that does not exist or cannot be read.</summary>
    private async Task<List<WarmStartRun>> ReadWarmStartAsync(SweepDefinition definition)
    {
        var kept = new List<WarmStartRun>();
        for (var i = 0; i < definition.WarmStart.Count; i++)
        {
            var source = definition.WarmStart[i];
            var path = $"{SweepWarmStart.Key}.sweeps[{i}]";
            if (source == Id)
                throw new SweepException(path, "a sweep cannot warm-start from itself");
            var results = await GrainFactory.Sweep(source).GetResultsAsync()
                ?? throw new SweepException(path, $"no sweep '{source}'");
            SweepDefinition from;
            try
            {
                from = SweepDefinition.Parse(results.SpecJson);
            }
            catch (SweepException e)
            {
                throw new SweepException(path, $"sweep '{source}' no longer passes the checks ({e.Message})");
            }
            foreach (var run in results.Leaderboard.OrderBy(r => r.Number))
            {
                var summary = run.Summary();
                if (WarmStartCompatibility.Problem(definition, from, summary) is not null)
                    continue;
                var config = WarmStartCompatibility.ConfigIn(definition, run.Config);
                config[SweepDefinition.SeedKey] = run.Config[SweepDefinition.SeedKey];
                kept.Add(new WarmStartRun
                {
                    Sweep = source,
                    Run = run.Number,
                    Config = config,
                    Status = run.Status,
                    Epochs = run.Epochs,
                    BestValLoss = run.BestValLoss,
                    FinalValLoss = run.FinalValLoss,
                    FinalValAccuracy = run.FinalValAccuracy,
                    DivergedAtEpoch = run.DivergedAtEpoch,
                });
            }
        }
        return kept;
    }

    /// <summary>The reused runs as the strategy's trials, numbered -n .. -1 (before this sweep's trial 0).</summary>
    private List<Trial> Prior()
    {
        if (_prior is not null)
            return _prior;
        var runs = State.WarmStart ?? [];
        _prior = runs.Select((r, i) => new Trial(
            i - runs.Count,
            r.Config.Where(kv => kv.Key != SweepDefinition.SeedKey).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            r.Status switch
            {
                RunStatus.Completed => TrialState.Completed,
                RunStatus.Stopped => TrialState.Stopped,
                _ => TrialState.Diverged,
            },
            // The last value stands for the trajectory: what a strategy ranks a stopped trial by is its last epoch.
            r.FinalValLoss is { } last ? [new RungValue(r.Epochs, last, i - runs.Count)] : [],
            r.FinalValLoss,
            r.DivergedAtEpoch)).ToList();
        return _prior;
    }

    /// <summary>The reused runs as the results list them: each under its own sweep's id and run number.</summary>
    private List<RunView>? ReusedViews() => State.WarmStart?.Select(r => new RunView(
        r.Sweep, r.Run, r.Config, r.Status, null, r.Epochs, r.BestValLoss, r.FinalValLoss, r.FinalValAccuracy, r.DivergedAtEpoch, r.Epochs, null, 0)).ToList();

    /// <summary>The reused runs for the answer and the per-value summaries, numbered as in <see cref="Prior"/>.</summary>
    private List<RunSummary> ReusedSummaries()
    {
        var runs = State.WarmStart ?? [];
        return runs.Select((r, i) => new RunSummary(i - runs.Count, r.Config, r.Status.ToWord(), r.BestValLoss, r.FinalValLoss, r.Epochs, r.DivergedAtEpoch)).ToList();
    }
}
