namespace ExperimentCluster.Tuning.Tests;

/// <summary>What every early-stopping rule promises. A new rule is one line in <see cref="Cases"/>.</summary>
public sealed class StoppingRuleContractTests
{
    private const int MaxEpochs = 27;

    public static TheoryData<string> Rules => new(Cases.Keys);

    public static TheoryData<string> CatalogNames => new(StoppingRuleCatalog.Names);

    /// <summary>Rule, settings, and the first epoch at which it may stop a trial (null: never).</summary>
    private static readonly Dictionary<string, (string Name, string Settings, int? FirstStop)> Cases = new()
    {
        ["none"] = ("none", "{}", null),
        ["median"] = ("median", """{"min_trials": 3}""", 1),
        ["median every 3 epochs after 4"] = ("median", """{"warmup_epochs": 4, "interval": 3, "min_trials": 3}""", 7),
        ["median, legacy"] = ("median", """{"mode": "legacy", "min_trials": 3}""", 2),
        ["median, legacy, every 3 epochs after 4"] = ("median", """{"mode": "legacy", "warmup_epochs": 4, "interval": 3, "min_trials": 3}""", 6),
        ["asha"] = ("asha", "{}", 1),
        ["asha from epoch 2, halving"] = ("asha", """{"min_epochs": 2, "reduction_factor": 2}""", 2),
        ["hyperband"] = ("hyperband", "{}", 1),
        ["hyperband up to 20 epochs"] = ("hyperband", """{"max_epochs": 20, "reduction_factor": 2}""", 1),
    };

    [Theory]
    [MemberData(nameof(CatalogNames))]
    public void Every_rule_of_the_catalog_has_a_contract_case(string name) =>
        Assert.Contains(Cases.Values, c => c.Name == name);

    [Theory]
    [MemberData(nameof(Rules))]
    public void Replaying_the_stored_history_in_sequence_order_gives_the_decisions_made_live(string name)
    {
        var simulator = Simulate(name, seed: 1);
        var stored = simulator.StoredHistory();

        foreach (var (trial, epoch, decision) in simulator.Decisions)
        {
            Assert.Equal(decision, Create(name).Decide(new StoppingContext(stored, MaxEpochs), trial, epoch));
        }
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Deciding_from_the_sweeps_index_of_values_gives_the_decisions_of_a_scan_of_the_history(string name)
    {
        foreach (var seed in new[] { 10, 11, 12 })
        {
            var index = new RuleValueIndex();
            var indexed = new RuleSimulator(Create(name), trials: 120, MaxEpochs, concurrency: 8, seed) { Index = index }.Run();
            var scanned = new RuleSimulator(Create(name), trials: 120, MaxEpochs, concurrency: 8, seed).Run();

            Assert.Equal(scanned.Decisions, indexed.Decisions);
            // The index was read (the comparison above is not between two scans), except by rules that never look.
            Assert.Equal(Cases[name].FirstStop is not null && !Cases[name].Settings.Contains("legacy", StringComparison.Ordinal), index.Reads > 0);
        }
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void The_order_of_the_history_list_does_not_matter(string name)
    {
        var simulator = Simulate(name, seed: 2);
        var shuffled = simulator.History.OrderBy(t => (t.Number * 7) % 11).ThenBy(t => t.Number).ToArray();

        foreach (var (trial, epoch, decision) in simulator.Decisions)
        {
            Assert.Equal(decision, Create(name).Decide(new StoppingContext(shuffled, MaxEpochs), trial, epoch));
        }
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_trial_is_never_stopped_before_the_first_rung_or_after_warm_up_nor_at_its_last_epoch(string name)
    {
        foreach (var seed in new[] { 3, 4, 5 })
        {
            foreach (var (_, epoch, decision) in Simulate(name, seed).Decisions.Where(d => d.Decision.Stop))
            {
                Assert.NotNull(Cases[name].FirstStop);
                Assert.InRange(epoch, Cases[name].FirstStop!.Value, MaxEpochs - 1);
                Assert.Equal(Cases[name].Name, decision.Rule);
                Assert.NotNull(decision.Rung);
                Assert.False(string.IsNullOrWhiteSpace(decision.Reason));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_rule_stops_only_at_epochs_it_records(string name)
    {
        var recorded = Create(name).RecordedEpochs(MaxEpochs);
        foreach (var (_, epoch, _) in Simulate(name, seed: 6).Decisions.Where(d => d.Decision.Stop))
        {
            Assert.True(recorded is null || recorded.Contains(epoch), $"stopped at epoch {epoch}, which it does not record");
        }
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void The_same_reports_in_the_same_order_give_the_same_decisions(string name)
    {
        Assert.Equal(Simulate(name, seed: 7).Decisions, Simulate(name, seed: 7).Decisions);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Rules_that_can_stop_do_stop_some_trials_and_let_some_finish(string name)
    {
        var simulator = Simulate(name, seed: 8);
        var stopped = simulator.History.Count(t => t.State == TrialState.Stopped);
        var completed = simulator.History.Count(t => t.State == TrialState.Completed);

        Assert.True(completed > 0, "no trial finished");
        Assert.Equal(Cases[name].FirstStop is not null, stopped > 0);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void The_first_trial_to_report_is_never_stopped(string name)
    {
        var simulator = new RuleSimulator(Create(name), trials: 1, MaxEpochs, concurrency: 1, seed: 9).Run();

        Assert.All(simulator.Decisions, d => Assert.False(d.Decision.Stop));
    }

    private static IStoppingRule Create(string name) =>
        StoppingRuleCatalog.Create(Cases[name].Name, Spaces.Settings(Cases[name].Settings));

    private static RuleSimulator Simulate(string name, int seed) =>
        new RuleSimulator(Create(name), trials: 40, MaxEpochs, concurrency: 5, seed).Run();
}
