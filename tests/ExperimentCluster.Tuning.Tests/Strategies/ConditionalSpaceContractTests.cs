namespace ExperimentCluster.Tuning.Tests;

/// <summary>What every strategy promises on a space with conditional parameters (<see cref="Parameter.When"/>): a
/// configuration holds a conditional parameter exactly where its condition holds, and two configurations that differ only
/// in a parameter neither reads are one configuration, proposed once.</summary>
public sealed class ConditionalSpaceContractTests
{
    public static TheoryData<string> Strategies => new(StrategyCatalog.Names);

    private static readonly Dictionary<string, (string Settings, SearchSpace Space)> Cases = new()
    {
        ["grid"] = ("{}", Spaces.ConditionalGrid),
        ["random"] = ("{}", Spaces.ConditionalMixed),
        ["tpe"] = ("""{"n_startup": 5}""", Spaces.ConditionalMixed),
        ["lr-decades"] = ("{}", Spaces.ConditionalDecades),
        ["lr-range"] = ("{}", Spaces.ConditionalDecades),
        ["gp"] = ("""{"n_startup": 5}""", Spaces.ConditionalMixed),
    };

    [Theory]
    [MemberData(nameof(Strategies))]
    public void A_conditional_parameter_is_in_a_configuration_exactly_where_its_condition_holds(string name)
    {
        var (settings, space) = Cases[name];
        var simulator = new SweepSimulator(name, settings, space, 4, maxTrials: 30, concurrency: 2);

        simulator.Run();

        Assert.True(simulator.History.Count >= 6, $"only {simulator.History.Count} trials");
        foreach (var trial in simulator.History)
        {
            Assert.True(space.Contains(trial.Config), $"{TrialConfig.From(trial.Config)} is outside the space");
            foreach (var parameter in space.Parameters.Where(p => p.When is not null))
                Assert.True(trial.Config.ContainsKey(parameter.Name) == SearchSpace.IsActive(parameter, trial.Config), $"{parameter.Name} in {TrialConfig.From(trial.Config)}");
        }

        // Both sides of each condition were tried, so the assertions above saw conditional parameters present and absent.
        Assert.Contains(simulator.History, t => t.Config.ContainsKey("momentum"));
        Assert.Contains(simulator.History, t => !t.Config.ContainsKey("momentum"));
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void A_finite_conditional_space_gives_each_of_its_configurations_once(string name)
    {
        var simulator = new SweepSimulator(name, Cases[name].Settings, Spaces.ConditionalGrid, 11, maxTrials: 100, concurrency: 3);

        var suggested = simulator.Run();

        Assert.Equal(suggested.Count, suggested.Distinct().Count());
        Assert.True(suggested.Count <= 10, $"{suggested.Count} configurations of a space that has 10");
        if (name is "grid" or "random" or "tpe" or "gp")
            Assert.Equal(10, suggested.Count);
    }
}
