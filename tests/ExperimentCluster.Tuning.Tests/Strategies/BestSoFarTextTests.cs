namespace ExperimentCluster.Tuning.Tests;

/// <summary>The model-based searches' explanations name their best configuration as the answer does
/// ("learning_rate=0.006501"), not as JSON with a drawn number's every digit.</summary>
public sealed class BestSoFarTextTests
{
    [Theory]
    [InlineData("tpe")]
    [InlineData("gp")]
    public void The_best_so_far_is_written_as_the_answer_writes_a_configuration(string strategy)
    {
        var simulator = new SweepSimulator(strategy, "{}", Spaces.Mixed, 3, maxTrials: 20, concurrency: 1);
        simulator.Run();
        var context = simulator.Context();
        var explanation = StrategyCatalog.Create(strategy, new Dictionary<string, System.Text.Json.JsonElement>()).Explain(context);

        var best = explanation[explanation.IndexOf(" Best so far: ", StringComparison.Ordinal)..];
        var number = int.Parse(System.Text.RegularExpressions.Regex.Match(best, "trial ([0-9]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var config = context.History.Single(t => t.Number == number).Config;
        Assert.EndsWith(", " + AnswerValue.Config(config) + ".", best, StringComparison.Ordinal);
        Assert.DoesNotContain("{", best, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"[0-9]\.[0-9]{8}", best);
    }

    [Theory]
    [InlineData("tpe")]
    [InlineData("gp")]
    public void A_maximised_metric_is_named_with_its_own_value(string strategy)
    {
        var simulator = new SweepSimulator(strategy, "{}", Spaces.Mixed, 3, maxTrials: 20, concurrency: 1);
        simulator.Run();
        var context = simulator.Context() with { Objective = new Objective("val_accuracy", true) };
        var explanation = StrategyCatalog.Create(strategy, new Dictionary<string, System.Text.Json.JsonElement>()).Explain(context);

        var best = System.Text.RegularExpressions.Regex.Match(explanation, "Best so far: trial ([0-9]+), val_accuracy ([-0-9.eE]+),");
        Assert.True(best.Success, explanation);
        var trial = context.History.Single(t => t.Number == int.Parse(best.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        var shown = double.Parse(best.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(-trial.FinalValue!.Value, shown, 3);
    }
}
