namespace ExperimentCluster.Training.Schedules;

/// <summary>The one place where schedule names become instances; unknown names are rejected with the known ones.</summary>
internal static class ScheduleCatalog
{
    public static readonly string[] Names = ["constant", "step", "exponential", "cosine", "one_cycle"];

    /// <summary>The step schedule's default decay per drop.</summary>
    public const double DefaultStepGamma = 0.1;

    /// <summary>The exponential schedule's default decay per epoch.</summary>
    public const double DefaultExponentialGamma = 0.9;

    /// <summary>The spec's schedule, with its warmup in front when warmup_epochs &gt; 0.</summary>
    public static ISchedule Create(TrainingSpec spec)
    {
        // The inner schedule's horizon is what the warmup leaves of the run.
        var epochs = spec.Epochs - spec.WarmupEpochs;
        ISchedule schedule = spec.Schedule switch
        {
            "constant" => new ConstantSchedule(spec.LearningRate),
            "step" => new StepSchedule(spec.LearningRate, spec.StepEpochs, spec.Gamma ?? DefaultStepGamma),
            "exponential" => new ExponentialSchedule(spec.LearningRate, spec.Gamma ?? DefaultExponentialGamma),
            "cosine" => new CosineSchedule(spec.LearningRate, spec.MinLearningRate, epochs),
            "one_cycle" => new OneCycleSchedule(spec.LearningRate, epochs, spec.PctStart, spec.DivFactor, spec.FinalDivFactor),
            _ => throw SpecException.UnknownName("schedule", "schedule", spec.Schedule, Names),
        };
        return spec.WarmupEpochs > 0 ? new WarmupSchedule(schedule, spec.WarmupEpochs) : schedule;
    }
}
