using ExperimentCluster.Contracts;
using ExperimentCluster.Tuning;
using Orleans.Dashboard;

namespace ExperimentCluster.Grains;

/// <summary>What a sweep reports about itself (its state, its results with the answer and the insight, its event
/// stream): read-only views computed from the stored state and the strategy.</summary>
public sealed partial class SweepGrain
{
    public Task<SweepView?> GetState() => Task.FromResult(State.Exists ? SweepViews.Sweep(Id, State) : null);

    public Task<SweepResults?> GetResultsAsync()
    {
        if (!State.Exists)
            return Task.FromResult<SweepResults?>(null);
        var summaries = State.Runs.Where(r => r.Kind is null).Select(SweepViews.Summary).ToList();
        var leaderboard = Aggregation.Leaderboard(summaries).Select(s => SweepViews.Run(Id, State.Runs[s.Number])).ToList();
        // A sweep stored before today's checks may not load (see OnActivateAsync): its runs still show, unbucketed.
        var space = _definition?.Space ?? new SearchSpace([]);
        // Replicate seeds are not hyperparameters: a per-value line for each seed would read as if the seed were tuned.
        // A `seed` in the space is refused today; if one is ever allowed, it was swept on purpose and shows.
        // Runs reused from earlier sweeps (a warm start) measured this space too: the answer, the per-value lines and the
        // importance count them.
        var measured = summaries.Concat(ReusedSummaries()).ToList();
        // Values a strategy draws from a range rarely repeat, so they are summarised by bucket; lr-decades places its rates
        // on a lattice, and each rate is a line of its own (by decade, 0.1, 0.178, 0.316 and 0.562 were one mean).
        var bucketed = _definition is not null && _strategy is { DrawsFromRanges: true };
        var values = Aggregation.PerValue(measured.Select(s => s with { Config = bucketed ? ValueBuckets.Label(s.Config, space) : s.Config }))
            .Where(v => SweepAnswer.IsHyperparameter(v.Parameter, space))
            .ToList();
        var perValue = values
            .Select(v => new ValueSummaryView(v.Parameter, v.Value, v.Runs, v.Finished, v.MeanFinalValLoss, v.StdFinalValLoss, v.Diverged, v.BestValLoss))
            .ToList();
        var explanation = Explanation();
        var importance = HyperparameterImportance.Of(space, measured);
        var answer = _definition is null || _strategy is null ? null
            : SweepAnswer.For(Id, _strategy.Answers(space), space, measured, importance, State.Status != SweepStatus.Running, _definition.Objective);
        var measurements = State.Runs.Where(r => r.Kind is not null).Select(r => SweepViews.Run(Id, r)).ToList();
        return Task.FromResult<SweepResults?>(new SweepResults(SweepViews.Sweep(Id, State), leaderboard, perValue, explanation, CurrentJson, measurements, answer?.Text,
            SweepInsights.For(space, importance, summaries), ReusedViews(), answer?.BestConfig)
        {
            TimeBudget = _definition?.TimeBudget is { } budget ? new TimeBudgetView(budget.TotalSeconds, RunningSeconds()) : null,
        });
    }

    private string Explanation()
    {
        try
        {
            return _strategy?.Explain(Context()) ?? "";
        }
        catch (Exception e) when (e is TuningException or ArgumentException)
        {
            return "The strategy cannot explain this sweep: " + e.Message;
        }
    }

    [NoProfiling]
    public Task<SweepEvents?> GetEventsAsync(long afterSequence, int max)
    {
        if (!State.Exists)
            return Task.FromResult<SweepEvents?>(null);
        var (events, dropped) = _events.After(afterSequence, max);
        return Task.FromResult<SweepEvents?>(new SweepEvents(events, dropped, SweepViews.Sweep(Id, State)));
    }
}
