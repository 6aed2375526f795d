namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// One line of help per trainer option, keyed by its name in the spec's JSON form. A trainer option missing here
/// still works and is listed; its help then points at the spec (see <see cref="TrainingOptions"/>).
/// </summary>
internal static class TrainingOptionDescriptions
{
    private static readonly Dictionary<string, string> Lines = new(StringComparer.Ordinal)
    {
        ["dataset"] = "digits | iris | wine | breast_cancer | diabetes | moons | spirals | blobs | linear | path/to/file.csv",
        ["target"] = "CSV: the label or target column (label when the file has one, else target)",
        ["task"] = "classification | regression (the data set's own when unset)",
        ["scaling"] = "standard | minmax | divide | none, fitted on the training rows",
        ["scale_divisor"] = "the divisor of divide scaling (digits: 16)",
        ["target_scaling"] = "regression: standard | none",
        ["validation_fraction"] = "share of rows held out for validation",
        ["split_file"] = "a JSON file of train/val row indices, or digits_split",
        ["data_seed"] = "seeds the split and synthetic data",
        ["folds"] = "cross-validation: cut the rows into this many folds, one of which validates (replaces validation_fraction)",
        ["fold"] = "with --folds: which fold validates, from 0",
        ["synthetic_samples"] = "rows of a synthetic data set",
        ["noise"] = "synthetic data: the noise's standard deviation",
        ["classes"] = "spirals and blobs: the number of classes",
        ["features"] = "blobs and linear: the number of features",
        ["layers"] = "hidden widths, comma-separated (\"\" for none: linear or logistic regression)",
        ["hidden_layers"] = "with --neurons: that many equal hidden layers instead of --layers",
        ["neurons"] = "with --hidden-layers: the width of each hidden layer",
        ["activation"] = "relu | leaky_relu | elu | tanh | sigmoid",
        ["leaky_slope"] = "leaky_relu: the slope below zero",
        ["elu_alpha"] = "elu: the saturation value below zero",
        ["loss"] = "cross_entropy | mse | huber (by task when unset)",
        ["huber_delta"] = "huber: where the loss turns linear",
        ["precision"] = "float32 | float64",
        ["optimizer"] = "sgd | momentum | nesterov | adam | adamw",
        ["learning_rate"] = "the base (one_cycle: peak) learning rate",
        ["momentum"] = "momentum and nesterov: the momentum",
        ["beta1"] = "adam and adamw: the first moment's decay",
        ["beta2"] = "adam and adamw: the second moment's decay",
        ["epsilon"] = "adam and adamw: the denominator's floor",
        ["weight_decay"] = "L2 penalty (adamw: decoupled decay)",
        ["clip_norm"] = "rescale gradients to at most this global L2 norm",
        ["schedule"] = "constant | step | exponential | cosine | one_cycle",
        ["step_epochs"] = "step: epochs between decays",
        ["gamma"] = "step: factor per step (0.1); exponential: factor per epoch (0.9)",
        ["min_learning_rate"] = "cosine: the floor at the last epoch",
        ["warmup_epochs"] = "linear warmup in front of any schedule, in epochs",
        ["pct_start"] = "one_cycle: share of the run rising to the peak",
        ["div_factor"] = "one_cycle: start rate = learning rate / this",
        ["final_div_factor"] = "one_cycle: final rate = start rate / this",
        ["batch_size"] = "rows per mini-batch",
        ["epochs"] = "passes over the training rows",
        ["seed"] = "seeds the initial weights and the shuffles",
        ["divergence_factor"] = "a loss above this multiple of the first (or NaN) ends the run as diverged",
        ["patience"] = "end the run after this many epochs without a lower validation loss, with its best epoch's weights",
    };

    public static string For(string key) =>
        Lines.TryGetValue(key, out var line) ? line : $"the trainer's {key} (see the training section of a sweep file)";
}
