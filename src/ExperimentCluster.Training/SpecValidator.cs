using System.Globalization;

using ExperimentCluster.Training.Data;
using ExperimentCluster.Training.Models;
using ExperimentCluster.Training.Optimizers;
using ExperimentCluster.Training.Schedules;

namespace ExperimentCluster.Training;

/// <summary>
/// Every check of <see cref="TrainingSpec.Validate"/>: settings first (cheap), then the ones that need the data,
/// which load it into the shared cache. The first problem found is thrown, naming its snake_case field.
/// </summary>
internal static class SpecValidator
{
    private const int MaxWidth = 65_536;
    private const long MaxParameters = 100_000_000;

    public static void Validate(TrainingSpec spec, DataFiles files)
    {
        ValidateSettings(spec);
        ValidateAgainstData(spec, files);
    }

    /// <summary>Every check that needs no data: what a client or a coordinator can check without reading a file.</summary>
    public static void ValidateSettings(TrainingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ValidateData(spec);
        ValidateModel(spec);
        ValidateOptimizer(spec);
        Require("epochs", spec.Epochs is >= 1 and <= 1_000_000, "must be a whole number from 1 to 1000000");
        Require("batch_size", spec.BatchSize >= 1, "must be a whole number of at least 1");
        ValidateSchedule(spec);
        Require("divergence_factor", double.IsFinite(spec.DivergenceFactor) && spec.DivergenceFactor > 1, "must be a finite number above 1");
        if (spec.Patience is { } patience)
            Require("patience", patience is >= 1 and <= 1_000_000, "must be a whole number from 1 to 1000000: the epochs without a lower validation loss before the run ends (leave it out to train every epoch)");
    }

    private static void ValidateData(TrainingSpec spec)
    {
        Require("dataset", !string.IsNullOrWhiteSpace(spec.Dataset), "must name a data set or a .csv file");
        var synthetic = SyntheticDatasets.Contains(spec.Dataset);
        if (!synthetic && !BuiltInDatasets.Contains(spec.Dataset) && !LooksLikeFile(spec.Dataset))
        {
            throw new SpecException("dataset", $"unknown data set '{spec.Dataset}'{Spelling.Hint(spec.Dataset, BuiltInDatasets.Names.Concat(SyntheticDatasets.Names))} "
                + $"(built in: {string.Join(", ", BuiltInDatasets.Names)}; synthetic: {string.Join(", ", SyntheticDatasets.Names)}; or a path to a .csv file)");
        }
        if (spec.Target is not null)
        {
            Require("target", !synthetic, $"'{spec.Dataset}' is synthetic and has no named columns");
            Require("target", spec.Target.Length > 0, "must name a column");
        }
        if (spec.Task is not null)
        {
            RequireName("task", "task", spec.Task, ["classification", "regression"]);
            if (synthetic)
            {
                var own = SyntheticDatasets.IsClassification(spec.Dataset) ? "classification" : "regression";
                Require("task", spec.Task == own, $"'{spec.Dataset}' is a {own} data set");
            }
        }
        RequireName("scaling", "scaling", spec.Scaling, FeatureScaler.Names);
        Require("scale_divisor", double.IsFinite(spec.ScaleDivisor) && spec.ScaleDivisor > 0, "must be a positive finite number");
        RequireName("target_scaling", "target scaling", spec.TargetScaling, ["standard", "none"]);
        Require("validation_fraction", double.IsFinite(spec.ValidationFraction) && spec.ValidationFraction > 0 && spec.ValidationFraction < 1,
            "must be a number between 0 and 1 (exclusive)");
        if (spec.SplitFile is not null) Require("split_file", spec.SplitFile.Length > 0, "must be a path to a JSON file or a built-in split (digits_split)");
        if (spec.Folds is { } folds)
        {
            Require("folds", folds is >= 2 and <= 100, "must be a whole number from 2 to 100: the parts the rows are cut into, each validating once");
            Require("folds", spec.SplitFile is null, "split_file fixes the validation rows; leave one of the two out");
            Require("fold", spec.Fold >= 0 && spec.Fold < folds, $"must be a whole number from 0 to {folds - 1}: which of the {folds} folds validates");
        }
        else
        {
            Require("fold", spec.Fold == 0, "chooses one of the folds: set folds too (the number of parts the rows are cut into)");
        }
        Require("synthetic_samples", spec.SyntheticSamples is >= 10 and <= 10_000_000, "must be a whole number from 10 to 10000000");
        if (spec.Noise is { } noise) Require("noise", double.IsFinite(noise) && noise >= 0, "must be a finite number, 0 or more");
        Require("classes", spec.Classes is >= 2 and <= 1000, "must be a whole number from 2 to 1000");
        Require("features", spec.Features is >= 1 and <= 10_000, "must be a whole number from 1 to 10000");
        if (synthetic)
        {
            var values = (long)spec.SyntheticSamples * (spec.Dataset is "blobs" or "linear" ? spec.Features : 2);
            Require("synthetic_samples", values <= 50_000_000, $"{spec.SyntheticSamples} rows would hold {values} values; at most 50000000");
        }
    }

    private static void ValidateModel(TrainingSpec spec)
    {
        Require("layers", spec.Layers is not null, "must be a list of widths ([] for a linear model)");
        Require("layers", spec.Layers!.Length <= 100, "at most 100 hidden layers");
        foreach (var width in spec.Layers)
            Require("layers", width is >= 1 and <= MaxWidth, $"widths must be whole numbers from 1 to {MaxWidth}, not {width}");
        Require(spec.HiddenLayers is null ? "hidden_layers" : "neurons", (spec.HiddenLayers is null) == (spec.Neurons is null), "hidden_layers and neurons are set together (or use layers)");
        if (spec.HiddenLayers is { } depth) Require("hidden_layers", depth is >= 0 and <= 100, "must be a whole number from 0 to 100");
        if (spec.Neurons is { } neurons) Require("neurons", neurons is >= 1 and <= MaxWidth, $"must be a whole number from 1 to {MaxWidth}");
        Require("leaky_slope", double.IsFinite(spec.LeakySlope) && spec.LeakySlope >= 0 && spec.LeakySlope < 1, "must be a number from 0 up to (not including) 1");
        Require("elu_alpha", double.IsFinite(spec.EluAlpha) && spec.EluAlpha > 0, "must be a positive finite number");
        ModelCatalog.CreateActivation(spec);
        if (spec.Loss is not null) RequireName("loss", "loss", spec.Loss, ModelCatalog.Losses);
        Require("huber_delta", double.IsFinite(spec.HuberDelta) && spec.HuberDelta > 0, "must be a positive finite number");
        RequireName("precision", "precision", spec.Precision, ["float32", "float64"]);
    }

    private static void ValidateOptimizer(TrainingSpec spec)
    {
        OptimizerCatalog.Create(spec);
        Require("learning_rate", double.IsFinite(spec.LearningRate) && spec.LearningRate > 0, "must be a positive finite number");
        Require("momentum", double.IsFinite(spec.Momentum) && spec.Momentum >= 0 && spec.Momentum < 1, "must be a number from 0 up to (not including) 1");
        Require("beta1", double.IsFinite(spec.Beta1) && spec.Beta1 >= 0 && spec.Beta1 < 1, "must be a number from 0 up to (not including) 1");
        Require("beta2", double.IsFinite(spec.Beta2) && spec.Beta2 >= 0 && spec.Beta2 < 1, "must be a number from 0 up to (not including) 1");
        Require("epsilon", double.IsFinite(spec.Epsilon) && spec.Epsilon > 0, "must be a positive finite number");
        Require("weight_decay", double.IsFinite(spec.WeightDecay) && spec.WeightDecay >= 0, "must be a finite number, 0 or more");
        if (spec.ClipNorm is { } clip) Require("clip_norm", double.IsFinite(clip) && clip > 0, "must be a positive finite number");
    }

    private static void ValidateSchedule(TrainingSpec spec)
    {
        RequireName("schedule", "schedule", spec.Schedule, ScheduleCatalog.Names);
        Require("step_epochs", spec.StepEpochs >= 1, "must be a whole number of at least 1");
        if (spec.Gamma is { } gamma) Require("gamma", double.IsFinite(gamma) && gamma > 0 && gamma <= 1, "must be a number above 0 and at most 1");
        Require("min_learning_rate", double.IsFinite(spec.MinLearningRate) && spec.MinLearningRate >= 0, "must be a finite number, 0 or more");
        Require("min_learning_rate", !(spec.MinLearningRate > spec.LearningRate), "must not exceed learning_rate");
        Require("warmup_epochs", double.IsFinite(spec.WarmupEpochs) && spec.WarmupEpochs >= 0, "must be a finite number, 0 or more");
        Require("warmup_epochs", spec.WarmupEpochs < spec.Epochs, $"must be less than epochs ({spec.Epochs})");
        Require("pct_start", double.IsFinite(spec.PctStart) && spec.PctStart > 0 && spec.PctStart < 1, "must be a number between 0 and 1 (exclusive)");
        Require("div_factor", double.IsFinite(spec.DivFactor) && spec.DivFactor >= 1, "must be a finite number of at least 1");
        Require("final_div_factor", double.IsFinite(spec.FinalDivFactor) && spec.FinalDivFactor >= 1, "must be a finite number of at least 1");
    }

    private static void ValidateAgainstData(TrainingSpec spec, DataFiles files)
    {
        int trainRows, features, outputs;
        bool classification;
        if (spec.Precision == "float64")
        {
            var data = DatasetCache.Get<double>(spec, files);
            (trainRows, features, outputs, classification) = (data.TrainRows, data.Features, data.Outputs, data.Classification);
        }
        else
        {
            var data = DatasetCache.Get<float>(spec, files);
            (trainRows, features, outputs, classification) = (data.TrainRows, data.Features, data.Outputs, data.Classification);
        }
        Require("batch_size", spec.BatchSize <= trainRows,
            $"{spec.BatchSize.ToString(CultureInfo.InvariantCulture)} is above the {trainRows.ToString(CultureInfo.InvariantCulture)} training rows");
        var loss = ModelCatalog.CreateLoss(spec, classification);
        Require("loss", !loss.ClassificationOnly || classification, $"{loss.Name} needs a classification task; '{spec.Dataset}' is used for regression");
        long parameters = 0;
        var previous = features;
        foreach (var width in spec.HiddenWidths().Append(outputs))
        {
            parameters += ((long)previous * width) + width;
            previous = width;
        }
        Require("layers", parameters <= MaxParameters, $"the model would have {parameters} parameters; at most {MaxParameters} are allowed");
    }

    private static bool LooksLikeFile(string name) =>
        name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal);

    private static void RequireName(string field, string what, string? given, IReadOnlyList<string> known)
    {
        if (!known.Contains(given, StringComparer.Ordinal))
            throw SpecException.UnknownName(field, what, given, known);
    }

    private static void Require(string field, bool condition, string reason)
    {
        if (!condition) throw new SpecException(field, reason);
    }
}
