using System.Text.Json.Serialization;

namespace ExperimentCluster.Training;

/// <summary>
/// Every trainer option, flat, so that a sweep can vary any of them by name. The JSON form
/// (snake_case, see <see cref="TrainingSpecJson"/>) is the canonical one: sweep files, the CLI and grain state use it.
/// </summary>
public sealed record TrainingSpec
{
    // ---- data ----

    /// <summary>digits | iris | wine | breast_cancer | diabetes | moons | spirals | blobs | linear | a path ending in .csv.</summary>
    [JsonPropertyName("dataset")] public string Dataset { get; init; } = "digits";

    /// <summary>CSV only: the label or target column; default "label" when the file has one, else "target".</summary>
    [JsonPropertyName("target")] public string? Target { get; init; }

    /// <summary>classification | regression; default: the data set's own (CSV: classification when the column is "label").</summary>
    [JsonPropertyName("task")] public string? Task { get; init; }

    /// <summary>standard | minmax | divide | none; fitted on the training part only.</summary>
    [JsonPropertyName("scaling")] public string Scaling { get; init; } = "standard";

    /// <summary>The divisor of the "divide" scaling (digits: 16 puts pixels in [0, 1]).</summary>
    [JsonPropertyName("scale_divisor")] public double ScaleDivisor { get; init; } = 1;

    /// <summary>Regression only: standard | none. Standardising the target keeps one learning rate meaningful across data sets; losses are then in standardised units.</summary>
    [JsonPropertyName("target_scaling")] public string TargetScaling { get; init; } = "standard";

    /// <summary>The share of rows held out for validation (rounded up), when no split file is given.</summary>
    [JsonPropertyName("validation_fraction")] public double ValidationFraction { get; init; } = 0.2;

    /// <summary>A JSON file with "train" and "val" arrays of 0-based row indices, or the built-in <c>digits_split</c> (the fixed
    /// 80/20 split of digits shipped with the data); overrides validation_fraction.</summary>
    [JsonPropertyName("split_file")] public string? SplitFile { get; init; }

    /// <summary>Seeds the split and the synthetic data; separate from <see cref="Seed"/> so that runs with different seeds share one split.</summary>
    [JsonPropertyName("data_seed")] public int DataSeed { get; init; }

    /// <summary>Cross-validation: the rows, shuffled by <see cref="DataSeed"/>, cut into this many folds, of which fold
    /// <see cref="Fold"/> validates and the others train (as scikit-learn's shuffled <c>KFold</c>); replaces
    /// validation_fraction. Null: one split by validation_fraction.</summary>
    [JsonPropertyName("folds")] public int? Folds { get; init; }

    /// <summary>With <see cref="Folds"/>: which fold validates, from 0.</summary>
    [JsonPropertyName("fold")] public int Fold { get; init; }

    /// <summary>Rows of a synthetic data set.</summary>
    [JsonPropertyName("synthetic_samples")] public int SyntheticSamples { get; init; } = 1000;

    /// <summary>Synthetic data: standard deviation of the Gaussian noise (blobs: the cluster spread); default moons 0.1, spirals 0.05, blobs 1, linear 0.1.</summary>
    [JsonPropertyName("noise")] public double? Noise { get; init; }

    /// <summary>Synthetic spirals and blobs: the number of classes.</summary>
    [JsonPropertyName("classes")] public int Classes { get; init; } = 3;

    /// <summary>Synthetic blobs and linear: the number of features (moons and spirals always have 2).</summary>
    [JsonPropertyName("features")] public int Features { get; init; } = 2;

    // ---- model ----

    /// <summary>Hidden layer widths; empty is linear or logistic regression.</summary>
    [JsonPropertyName("layers")] public int[] Layers { get; init; } = [32];

    /// <summary>With <see cref="Neurons"/>: that many hidden layers of equal width instead of <see cref="Layers"/>, so that a
    /// sweep can vary depth and width as two parameters (a search models each on its own).</summary>
    [JsonPropertyName("hidden_layers")] public int? HiddenLayers { get; init; }

    /// <summary>With <see cref="HiddenLayers"/>: the width of every hidden layer.</summary>
    [JsonPropertyName("neurons")] public int? Neurons { get; init; }

    /// <summary>The hidden widths the model is built with: hidden_layers x neurons when both are set, else layers (a method:
    /// every property of a spec is an option).</summary>
    public int[] HiddenWidths() => HiddenLayers is { } depth && Neurons is { } width ? Enumerable.Repeat(width, depth).ToArray() : Layers;

    /// <summary>relu | leaky_relu | elu | tanh | sigmoid.</summary>
    [JsonPropertyName("activation")] public string Activation { get; init; } = "relu";

    /// <summary>leaky_relu: the slope for negative inputs.</summary>
    [JsonPropertyName("leaky_slope")] public double LeakySlope { get; init; } = 0.01;

    /// <summary>elu: the saturation value for negative inputs.</summary>
    [JsonPropertyName("elu_alpha")] public double EluAlpha { get; init; } = 1;

    /// <summary>cross_entropy | mse | huber; default cross_entropy for classification, mse for regression.</summary>
    [JsonPropertyName("loss")] public string? Loss { get; init; }

    [JsonPropertyName("huber_delta")] public double HuberDelta { get; init; } = 1;

    /// <summary>
    /// float32 | float64: the number type of parameters and arithmetic. float32 is the default because it measured
    /// 1.2–2.1 times the samples per second of float64 on the digits benchmark (bench/RESULTS.md): twice the lanes per
    /// vector, half the memory. The loss head and the loss values are computed in double either way.
    /// </summary>
    [JsonPropertyName("precision")] public string Precision { get; init; } = "float32";

    // ---- optimizer ----

    /// <summary>sgd | momentum | nesterov | adam | adamw.</summary>
    [JsonPropertyName("optimizer")] public string Optimizer { get; init; } = "sgd";

    /// <summary>The base (one_cycle: the peak) learning rate.</summary>
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 0.01;

    /// <summary>momentum and nesterov.</summary>
    [JsonPropertyName("momentum")] public double Momentum { get; init; } = 0.9;

    [JsonPropertyName("beta1")] public double Beta1 { get; init; } = 0.9;

    [JsonPropertyName("beta2")] public double Beta2 { get; init; } = 0.999;

    [JsonPropertyName("epsilon")] public double Epsilon { get; init; } = 1e-8;

    /// <summary>L2 penalty added to the gradient (adamw: decoupled decay), applied to every parameter as torch.optim does.</summary>
    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; }

    /// <summary>When set, gradients are rescaled so that their global L2 norm is at most this.</summary>
    [JsonPropertyName("clip_norm")] public double? ClipNorm { get; init; }

    // ---- learning-rate schedule ----

    /// <summary>constant | step | exponential | cosine | one_cycle.</summary>
    [JsonPropertyName("schedule")] public string Schedule { get; init; } = "constant";

    /// <summary>step: epochs between decays.</summary>
    [JsonPropertyName("step_epochs")] public int StepEpochs { get; init; } = 10;

    /// <summary>step: factor per step_epochs (default 0.1); exponential: factor per epoch (default 0.9).</summary>
    [JsonPropertyName("gamma")] public double? Gamma { get; init; }

    /// <summary>cosine: the floor reached at the last epoch.</summary>
    [JsonPropertyName("min_learning_rate")] public double MinLearningRate { get; init; }

    /// <summary>Linear warmup in front of any schedule, in epochs (fractions allowed); the schedule runs over the remaining epochs.</summary>
    [JsonPropertyName("warmup_epochs")] public double WarmupEpochs { get; init; }

    /// <summary>one_cycle: the share of the run spent rising to the peak.</summary>
    [JsonPropertyName("pct_start")] public double PctStart { get; init; } = 0.3;

    /// <summary>one_cycle: the start rate is learning_rate / div_factor.</summary>
    [JsonPropertyName("div_factor")] public double DivFactor { get; init; } = 25;

    /// <summary>one_cycle: the final rate is the start rate / final_div_factor.</summary>
    [JsonPropertyName("final_div_factor")] public double FinalDivFactor { get; init; } = 1e4;

    // ---- loop ----

    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 32;

    [JsonPropertyName("epochs")] public int Epochs { get; init; } = 20;

    /// <summary>Seeds the initial weights and the per-epoch shuffles.</summary>
    [JsonPropertyName("seed")] public int Seed { get; init; }

    /// <summary>A mini-batch loss above this multiple of the first one ends the run as Diverged.</summary>
    [JsonPropertyName("divergence_factor")] public double DivergenceFactor { get; init; } = 10;

    /// <summary>
    /// When set, the run ends once this many epochs in a row have not lowered its lowest validation loss, and its model
    /// (the final checkpoint, the exported network, the final validation loss a sweep ranks it by) is the weights of its
    /// best epoch, whether it ended early or trained every epoch: what scikit-learn's <c>early_stopping</c> and Keras's
    /// <c>EarlyStopping(restore_best_weights=True)</c> keep. Null: every epoch is trained and the last one's weights are the model.
    /// </summary>
    [JsonPropertyName("patience")] public int? Patience { get; init; }

    /// <summary>Checks every option, loading the (cached) data for the data-dependent ones; throws <see cref="SpecException"/> naming the field.</summary>
    /// <param name="files">Where data files may be read from; null: <see cref="Data.DataFiles.None"/>, the built-in data sets only.</param>
    public void Validate(Data.DataFiles? files = null) => SpecValidator.Validate(this, files ?? Data.DataFiles.None);

    /// <summary>The checks that need no data (names, ranges, combinations); <see cref="Validate"/> adds the data-dependent ones.</summary>
    public void ValidateSettings() => SpecValidator.ValidateSettings(this);
}
