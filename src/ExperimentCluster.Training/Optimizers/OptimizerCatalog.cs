namespace ExperimentCluster.Training.Optimizers;

/// <summary>The one place where optimizer names become instances; unknown names are rejected with the known ones.</summary>
internal static class OptimizerCatalog
{
    public static readonly string[] Names = ["sgd", "momentum", "nesterov", "adam", "adamw"];

    public static IOptimizer Create(TrainingSpec spec) => spec.Optimizer switch
    {
        "sgd" => new SgdOptimizer(spec.WeightDecay),
        "momentum" => new MomentumOptimizer(spec.Momentum, spec.WeightDecay),
        "nesterov" => new NesterovOptimizer(spec.Momentum, spec.WeightDecay),
        "adam" => new AdamOptimizer(spec.Beta1, spec.Beta2, spec.Epsilon, spec.WeightDecay),
        "adamw" => new AdamOptimizer(spec.Beta1, spec.Beta2, spec.Epsilon, spec.WeightDecay, decoupled: true),
        _ => throw SpecException.UnknownName("optimizer", "optimizer", spec.Optimizer, Names),
    };
}
