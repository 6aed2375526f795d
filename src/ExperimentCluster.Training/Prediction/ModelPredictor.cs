using System.Text.Json;
using ExperimentCluster.Training.Models;
using ExperimentCluster.Training.Numerics;

namespace ExperimentCluster.Training.Prediction;

/// <summary>
/// A trained model's file put to use: the arithmetic its <see cref="TrainedModel.Predict"/> text spells out, on raw rows,
/// with the trainer's own activations (so a float64 model predicts what the trainer computed, to rounding). The file is
/// checked whole when it is read, each problem named by its field, so that a hand-edited or truncated file is refused
/// before it predicts anything rather than failing on some row or, worse, predicting from misaligned weights.
/// </summary>
public sealed class ModelPredictor
{
    /// <summary>The hidden layers' activation; null for a model without hidden layers, which uses none.</summary>
    private readonly IActivation? _activation;

    public ModelPredictor(TrainedModel model, string source = "the model")
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Source = source;
        _activation = Check();
    }

    public TrainedModel Model { get; }

    /// <summary>How to call the file in messages.</summary>
    public string Source { get; }

    public bool Classification => Model.Task == "classification";

    /// <summary>Outputs per row: a classifier's class probabilities, a regression's one prediction.</summary>
    public int Outputs => Model.Layers[^1].Biases.Length;

    /// <summary>Reads a model file (as `excl model` and `excl train --save-model` write it) and checks it.</summary>
    public static ModelPredictor Read(string json, string source)
    {
        TrainedModel? model;
        try
        {
            model = JsonSerializer.Deserialize<TrainedModel>(json, ModelJson);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not a model file (JSON as `excl model` writes it): {e.Message}");
        }
        return new ModelPredictor(model ?? throw new InvalidDataException($"{source} is not a model file: it holds null"), source);
    }

    /// <summary>A classifier's class probabilities (softmax of the last layer), or a regression's prediction in the
    /// target's own units, for one row of raw features in <see cref="TrainedModel.Features"/> order.</summary>
    public double[] Predict(ReadOnlySpan<double> features)
    {
        var z = Logits(features);
        if (!Classification)
            return [(z[0] * Model.TargetScale!.Value) + Model.TargetShift!.Value];
        var logSum = LogSumExp(z);
        return [.. z.Select(v => Math.Exp(v - logSum))];
    }

    /// <summary>The last layer's outputs for one row: the scaling, then each layer, the hidden ones activated.</summary>
    internal double[] Logits(ReadOnlySpan<double> features)
    {
        if (features.Length != Model.Features.Count)
            throw new ArgumentException($"{features.Length} features given; the model reads {Model.Features.Count}", nameof(features));
        var x = new double[features.Length];
        for (var i = 0; i < x.Length; i++)
            x[i] = (features[i] - Model.InputShift[i]) / Model.InputScale[i];
        for (var l = 0; l < Model.Layers.Count; l++)
        {
            var layer = Model.Layers[l];
            var hidden = l < Model.Layers.Count - 1;
            // The activations work on whole vectors, so a hidden layer's outputs sit in a padded buffer.
            var z = new double[hidden ? DenseKernels.Padded<double>(layer.Biases.Length) : layer.Biases.Length];
            layer.Biases.CopyTo(z, 0);
            for (var i = 0; i < x.Length; i++)
            {
                var row = layer.Weights[i];
                for (var j = 0; j < row.Length; j++)
                    z[j] += x[i] * row[j];
            }
            if (hidden)
            {
                _activation!.Forward<double>(z);
                Array.Resize(ref z, layer.Biases.Length);
            }
            x = z;
        }
        return x;
    }

    internal static double LogSumExp(double[] z)
    {
        var max = z.Max();
        return max + Math.Log(z.Sum(v => Math.Exp(v - max)));
    }

    private static readonly JsonSerializerOptions ModelJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Checks every field; returns the hidden layers' activation, made once here.</summary>
    private IActivation? Check()
    {
        var m = Model;
        if (m.Format != TrainedModel.CurrentFormat)
            Fail("format", m.Format is null ? $"missing: a model file names its format ({TrainedModel.CurrentFormat})" : $"'{m.Format}' is not a format this excl reads ({TrainedModel.CurrentFormat})");
        if (m.Task is not ("classification" or "regression"))
            Fail("task", "must be classification or regression");
        if (m.Features is not { Count: > 0 })
            Fail("features", "missing or empty: the model names the columns it reads");
        if (m.Features.Distinct(StringComparer.Ordinal).Count() != m.Features.Count)
            Fail("features", "names a feature twice");
        CheckVector("input_shift", m.InputShift, m.Features.Count, zeroAllowed: true);
        CheckVector("input_scale", m.InputScale, m.Features.Count, zeroAllowed: false);
        if (m.Layers is not { Count: > 0 })
            Fail("layers", "missing or empty");
        var inputs = m.Features.Count;
        for (var l = 0; l < m.Layers.Count; l++)
        {
            var layer = m.Layers[l] ?? throw Error($"layers[{l}]", "null");
            var biases = layer.Biases;
            if (biases is not { Length: > 0 } || !biases.All(double.IsFinite))
                Fail($"layers[{l}].biases", "missing, empty or not all finite numbers");
            if (layer.Weights is null || layer.Weights.Length != inputs)
                Fail($"layers[{l}].weights", $"{layer.Weights?.Length ?? 0} rows, but the layer has {inputs} inputs ({(l == 0 ? "the features" : $"layer {l - 1}'s outputs")}): rows are inputs, columns outputs");
            for (var i = 0; i < inputs; i++)
            {
                if (layer.Weights[i] is not { } row || row.Length != biases.Length || !row.All(double.IsFinite))
                    Fail($"layers[{l}].weights[{i}]", $"must be {biases.Length} finite numbers, one per output (as many as the layer's biases)");
            }
            inputs = biases.Length;
        }
        IActivation? activation = null;
        if (m.Layers.Count > 1)
        {
            try
            {
                activation = ModelCatalog.CreateActivation(m.HiddenActivation, m.LeakySlope ?? 0, m.EluAlpha ?? 0);
            }
            catch (SpecException e)
            {
                Fail("hidden_activation", e.Reason);
            }
            if (m.HiddenActivation == "leaky_relu" && m.LeakySlope is null)
                Fail("leaky_slope", "missing: a leaky_relu model names its slope");
            if (m.HiddenActivation == "elu" && m.EluAlpha is null)
                Fail("elu_alpha", "missing: an elu model names its alpha");
        }
        if (Classification)
        {
            if (m.Output != "softmax")
                Fail("output", "a classifier's output is softmax");
            if (m.Classes is not { } classes || classes < 2 || classes != inputs)
                Fail("classes", $"must be the number of outputs of the last layer ({inputs}), at least 2");
            if (m.ClassNames is { } names && (names.Count != inputs || names.Distinct(StringComparer.Ordinal).Count() != names.Count))
                Fail("class_names", $"must name each of the {inputs} classes once");
        }
        else
        {
            if (m.Output != "identity")
                Fail("output", "a regression's output is identity");
            if (inputs != 1)
                Fail("layers", $"a regression's last layer has one output, not {inputs}");
            if (m.TargetShift is not { } shift || !double.IsFinite(shift))
                Fail("target_shift", "missing or not a finite number");
            if (m.TargetScale is not { } scale || !double.IsFinite(scale) || scale == 0)
                Fail("target_scale", "missing, zero or not a finite number");
        }
        foreach (var (column, values) in m.Categories ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            if (values is not { Count: > 0 } || values.Any(v => !m.Features.Contains($"{column}={v}")))
                Fail($"categories.{column}", $"each value must be a feature named {column}=value");
        }
        return activation;
    }

    private void CheckVector(string field, IReadOnlyList<double>? values, int count, bool zeroAllowed)
    {
        if (values is null || values.Count != count)
            Fail(field, $"must hold {count} numbers, one per feature; it holds {values?.Count ?? 0}");
        if (values.Any(v => !double.IsFinite(v) || (!zeroAllowed && v == 0)))
            Fail(field, zeroAllowed ? "must be finite numbers" : "must be finite numbers other than 0 (they divide)");
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Fail(string field, string reason) => throw Error(field, reason);

    private InvalidDataException Error(string field, string reason) => new($"{Source}: {field}: {reason}");
}
