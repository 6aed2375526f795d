using ExperimentCluster.Training.Schedules;

namespace ExperimentCluster.Training.Tests;

/// <summary>What every learning-rate schedule promises. The cases come from the catalog's names, so a new schedule without
/// a line in <see cref="Cases"/> fails here.</summary>
public sealed class ScheduleContractTests
{
    private const int StepsPerEpoch = 7;
    private const int Epochs = 12;

    public static TheoryData<string> Schedules => new(ScheduleCatalog.Names);

    /// <summary>Each schedule with settings that exercise its phases, and whether it ends below where it starts.</summary>
    private static readonly Dictionary<string, (TrainingSpec Spec, bool Decays)> Cases = new()
    {
        ["constant"] = (new TrainingSpec { Schedule = "constant" }, false),
        ["step"] = (new TrainingSpec { Schedule = "step", StepEpochs = 4 }, true),
        ["exponential"] = (new TrainingSpec { Schedule = "exponential" }, true),
        ["cosine"] = (new TrainingSpec { Schedule = "cosine", MinLearningRate = 0.001 }, true),
        ["one_cycle"] = (new TrainingSpec { Schedule = "one_cycle" }, true),
    };

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Every_rate_is_finite_positive_and_at_most_the_peak_with_or_without_warmup(string name)
    {
        foreach (var warmup in new[] { 0.0, 2.5 })
        {
            var spec = Cases[name].Spec with { LearningRate = 0.1, Epochs = Epochs, WarmupEpochs = warmup };
            spec.ValidateSettings();
            var schedule = ScheduleCatalog.Create(spec);
            for (long step = 0; step < Epochs * StepsPerEpoch; step++)
            {
                var rate = schedule.LearningRate(step, StepsPerEpoch);
                Assert.True(double.IsFinite(rate) && rate > 0 && rate <= 0.1 * (1 + 1e-12), $"{name}, warmup {warmup}: step {step} has rate {rate}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void The_rate_is_a_pure_function_of_the_step_and_decays_when_the_schedule_says_so(string name)
    {
        var spec = Cases[name].Spec with { LearningRate = 0.1, Epochs = Epochs };
        var first = ScheduleCatalog.Create(spec);
        var second = ScheduleCatalog.Create(spec);
        var last = (Epochs * StepsPerEpoch) - 1;

        // Asked out of order, a second instance gives the same rates: a restored run needs no schedule state.
        Assert.Equal(first.LearningRate(last, StepsPerEpoch), second.LearningRate(last, StepsPerEpoch));
        Assert.Equal(first.LearningRate(3, StepsPerEpoch), second.LearningRate(3, StepsPerEpoch));
        Assert.Equal(Cases[name].Decays, first.LearningRate(last, StepsPerEpoch) < second.LearningRate(0, StepsPerEpoch) * 0.99);
    }
}
