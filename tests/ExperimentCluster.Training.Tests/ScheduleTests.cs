using ExperimentCluster.Training.Schedules;

namespace ExperimentCluster.Training.Tests;

/// <summary>Learning rates at the boundaries between schedule phases, with 10 steps per epoch.</summary>
public sealed class ScheduleTests
{
    private const int StepsPerEpoch = 10;
    private const double Rate = 0.1;

    private static double At(TrainingSpec spec, long step) => ScheduleCatalog.Create(spec with { LearningRate = Rate }).LearningRate(step, StepsPerEpoch);

    [Fact]
    public void Constant_schedule_never_changes()
    {
        var spec = new TrainingSpec { Schedule = "constant" };
        Assert.All(new long[] { 0, 9, 10, 199 }, s => Assert.Equal(Rate, At(spec, s)));
    }

    [Fact]
    public void Step_schedule_drops_on_the_first_step_of_every_step_epochs_epoch()
    {
        var spec = new TrainingSpec { Schedule = "step", StepEpochs = 3, Gamma = 0.5 };
        Assert.Equal(Rate, At(spec, 0));
        Assert.Equal(Rate, At(spec, 29));
        Assert.Equal(Rate * 0.5, At(spec, 30));
        Assert.Equal(Rate * 0.5, At(spec, 59));
        Assert.Equal(Rate * 0.25, At(spec, 60));
    }

    [Fact]
    public void Step_schedule_defaults_to_a_tenth_per_drop()
    {
        Assert.Equal(Rate * 0.1, At(new TrainingSpec { Schedule = "step", StepEpochs = 2 }, 20), 15);
    }

    [Fact]
    public void Exponential_schedule_decays_by_gamma_per_epoch_continuously()
    {
        var spec = new TrainingSpec { Schedule = "exponential", Gamma = 0.9 };
        Assert.Equal(Rate, At(spec, 0));
        Assert.Equal(Rate * 0.9, At(spec, 10), 15);
        Assert.Equal(Rate * 0.81, At(spec, 20), 15);
        Assert.Equal(Rate * Math.Pow(0.9, 2.5), At(spec, 25), 15);
    }

    [Fact]
    public void Cosine_schedule_starts_at_the_rate_halves_at_the_middle_and_ends_at_the_floor()
    {
        var spec = new TrainingSpec { Schedule = "cosine", Epochs = 20, MinLearningRate = 0.001 };
        Assert.Equal(Rate, At(spec, 0), 15);
        Assert.Equal((Rate + 0.001) / 2, At(spec, 100), 15);
        Assert.Equal(0.001, At(spec, 200), 15);
        Assert.Equal(0.001, At(spec, 500), 15);
        Assert.True(At(spec, 50) > At(spec, 51));
    }

    [Fact]
    public void One_cycle_rises_to_the_peak_at_pct_start_then_anneals_far_below_the_start()
    {
        var spec = new TrainingSpec { Schedule = "one_cycle", Epochs = 10, PctStart = 0.3, DivFactor = 25, FinalDivFactor = 1e4 };
        Assert.Equal(Rate / 25, At(spec, 0), 15);
        Assert.Equal((Rate / 25 + Rate) / 2, At(spec, 15), 15);
        Assert.Equal(Rate, At(spec, 30), 15);
        Assert.Equal((Rate + (Rate / 25 / 1e4)) / 2, At(spec, 65), 15);
        Assert.Equal(Rate / 25 / 1e4, At(spec, 100), 15);
    }

    [Fact]
    public void Warmup_climbs_linearly_then_hands_over_to_the_schedule_from_its_start()
    {
        var spec = new TrainingSpec { Schedule = "cosine", Epochs = 12, WarmupEpochs = 2, MinLearningRate = 0 };
        Assert.Equal(Rate / 20, At(spec, 0), 15);
        Assert.Equal(Rate * 10 / 20, At(spec, 9), 15);
        Assert.Equal(Rate, At(spec, 19), 15);
        // The cosine runs over the 10 epochs after the warmup: its middle is 5 epochs (50 steps) past the warmup's end.
        Assert.Equal(Rate, At(spec, 20), 15);
        Assert.Equal(Rate / 2, At(spec, 70), 15);
        Assert.Equal(0, At(spec, 120), 15);
    }

    [Fact]
    public void Warmup_works_in_front_of_a_step_schedule_too()
    {
        var spec = new TrainingSpec { Schedule = "step", StepEpochs = 1, Gamma = 0.5, WarmupEpochs = 0.5 };
        Assert.Equal(Rate / 5, At(spec, 0), 15);
        Assert.Equal(Rate, At(spec, 4), 15);
        Assert.Equal(Rate, At(spec, 5), 15);
        Assert.Equal(Rate / 2, At(spec, 15), 15);
    }

    [Fact]
    public void Catalog_rejects_an_unknown_schedule_by_name()
    {
        var error = Assert.Throws<SpecException>(() => ScheduleCatalog.Create(new TrainingSpec { Schedule = "triangular" }));
        Assert.Equal("schedule", error.Field);
        Assert.Contains("one_cycle", error.Reason, StringComparison.Ordinal);
    }
}
