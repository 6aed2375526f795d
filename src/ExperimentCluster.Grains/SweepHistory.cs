using ExperimentCluster.Contracts;
using ExperimentCluster.SweepModel;
using ExperimentCluster.Tuning;

namespace ExperimentCluster.Grains;

/// <summary>
/// The strategy's and the rule's view of a sweep's runs: the training runs as trials (numbered 0, 1, ... in run order)
/// and the measurement runs as measurements. Kept in step with the stored runs, so that a report costs O(1) to record
/// instead of rebuilding every run's trial (which made a 2,000-run sweep quadratic).
/// </summary>
internal sealed class SweepHistory
{
    private readonly List<Trial> _trials = [];

    // For every run, its trial's index; -1 for a measurement run.
    private readonly List<int> _trialOfRun = [];

    // The run numbers of the measurement runs, so that the strategy's context does not scan every run for them.
    private readonly List<int> _measurementRuns = [];

    /// <summary>The training runs as trials, after adding any runs stored since the last call.</summary>
    public List<Trial> Trials(IReadOnlyList<SweepRun> runs)
    {
        for (var i = _trialOfRun.Count; i < runs.Count; i++)
        {
            var run = runs[i];
            if (run.Kind is not null)
            {
                _trialOfRun.Add(-1);
                _measurementRuns.Add(i);
                continue;
            }
            _trialOfRun.Add(_trials.Count);
            _trials.Add(TrialOf(run, _trials.Count));
        }
        return _trials;
    }

    // The rules' index of the trials' values (RuleValueIndex), made on first use and then fed each value as it is recorded;
    // dropped when values leave the history (a retry), and made again from the history on the next use.
    private RuleValueIndex? _index;

    /// <summary>Forgets every run (the sweep was deleted; a new one under its id starts from nothing).</summary>
    public void Clear()
    {
        _trials.Clear();
        _trialOfRun.Clear();
        _measurementRuns.Clear();
        _index = null;
    }

    /// <summary>The stopping rules' view: the trials and the index of their values.</summary>
    public StoppingContext Stopping(IReadOnlyList<SweepRun> runs, int maxEpochs, Objective objective)
    {
        var trials = Trials(runs);
        return new StoppingContext(trials, maxEpochs) { Index = _index ??= RuleValueIndex.Of(trials), Objective = objective };
    }

    /// <summary>A run's value was just recorded (appended to its values, which its trial shares).</summary>
    public void Recorded(IReadOnlyList<SweepRun> runs, SweepRun run, RungValue value)
    {
        if (_index is null || TrialOf(runs, run) is not (var trial and >= 0))
            return;
        if (value.Sequence > _index.Newest)
            _index.Add(trial, value);
        else
            _index = null;
    }

    /// <summary>Values left the history (a retried run starts over): the index is made again on its next use.</summary>
    public void ValuesRemoved() => _index = null;

    /// <summary>The trial number of a training run (the rule decides by it).</summary>
    public int TrialOf(IReadOnlyList<SweepRun> runs, SweepRun run)
    {
        Trials(runs);
        return _trialOfRun[run.Number];
    }

    /// <summary>Takes a run's new status and values into its trial.</summary>
    public void Refresh(IReadOnlyList<SweepRun> runs, SweepRun run)
    {
        if (TrialOf(runs, run) is var index and >= 0)
            _trials[index] = TrialOf(run, index, _trials[index].Config);
    }

    /// <summary>The measurement runs, in the order the strategy asked for them.</summary>
    public List<Measurement> Measurements(IReadOnlyList<SweepRun> runs)
    {
        Trials(runs);
        return _measurementRuns.Select(i => runs[i]).Select(r => new Measurement(r.Kind!, WithoutSeed(r.Config), r.Status.IsFinished(), r.Result)).ToList();
    }

    private static Dictionary<string, string> WithoutSeed(Dictionary<string, string> config) =>
        config.Where(kv => kv.Key != SweepDefinition.SeedKey).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    private static Trial TrialOf(SweepRun r, int number, IReadOnlyDictionary<string, string>? config = null) => new(
        number,
        config ?? WithoutSeed(r.Config),
        r.Status switch
        {
            RunStatus.Completed => TrialState.Completed,
            RunStatus.Stopped => TrialState.Stopped,
            RunStatus.Diverged => TrialState.Diverged,
            RunStatus.Failed => TrialState.Failed,
            RunStatus.Cancelled => TrialState.Cancelled,
            _ => TrialState.Running,
        },
        r.Values,
        r.Status.IsFinished() ? r.FinalValLoss : null,
        r.DivergedAtEpoch);
}
