namespace ExperimentCluster.Training.Models;

/// <summary>The one place where activation and loss names become instances; unknown names are rejected with the known ones.</summary>
internal static class ModelCatalog
{
    public static readonly string[] Activations = ["relu", "leaky_relu", "elu", "tanh", "sigmoid"];

    public static readonly string[] Losses = ["cross_entropy", "mse", "huber"];

    public static IActivation CreateActivation(TrainingSpec spec) => CreateActivation(spec.Activation, spec.LeakySlope, spec.EluAlpha);

    /// <summary>By name and settings: a trained model's file names its activation so (<see cref="TrainedModel"/>).</summary>
    public static IActivation CreateActivation(string? name, double leakySlope, double eluAlpha) => name switch
    {
        "relu" => new ReluActivation(),
        "leaky_relu" => new LeakyReluActivation(leakySlope),
        "elu" => new EluActivation(eluAlpha),
        "tanh" => new TanhActivation(),
        "sigmoid" => new SigmoidActivation(),
        _ => throw SpecException.UnknownName("activation", "activation", name, Activations),
    };

    /// <summary>The spec's loss, or the task's default: cross-entropy for classification, mean squared error for regression.</summary>
    public static ILoss CreateLoss(TrainingSpec spec, bool classification) => (spec.Loss ?? (classification ? "cross_entropy" : "mse")) switch
    {
        "cross_entropy" => new CrossEntropyLoss(),
        "mse" => new MseLoss(),
        "huber" => new HuberLoss(spec.HuberDelta),
        _ => throw SpecException.UnknownName("loss", "loss", spec.Loss, Losses),
    };
}
