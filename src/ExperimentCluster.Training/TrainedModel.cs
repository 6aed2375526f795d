using System.Text.Json.Serialization;

namespace ExperimentCluster.Training;

/// <summary>
/// A trained network as plain numbers, for use outside ExperimentCluster (`excl model`, the API's run model): what a user
/// keeps of a run. A checkpoint is not that: it also holds the optimizer's state and the generator's, is tied to this
/// build's format and spec hash, and says nothing of the scaling the data went through, which was fitted on the training
/// rows and is needed to use the weights on new rows. <see cref="Predict"/> spells out the arithmetic.
/// </summary>
public sealed record TrainedModel(
    string Format,
    int Epoch,
    string Task,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Classes,
    IReadOnlyList<string> Features,
    IReadOnlyList<double> InputShift,
    IReadOnlyList<double> InputScale,
    string HiddenActivation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? LeakySlope,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? EluAlpha,
    string Output,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TargetShift,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TargetScale,
    [property: JsonPropertyOrder(1)] IReadOnlyList<TrainedLayer> Layers)
{
    /// <summary>Where the model came from, set by whoever exports a stored run (the trainer knows no sweeps).</summary>
    [JsonPropertyOrder(-3), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Sweep { get; init; }

    [JsonPropertyOrder(-2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Run { get; init; }

    /// <summary>The run's swept values, as the sweep names them.</summary>
    [JsonPropertyOrder(-1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Config { get; init; }

    /// <summary>The classes' names when the data named them (a CSV's class column of text): output i is class_names[i].</summary>
    [JsonPropertyOrder(0), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The CSV's category columns and their values: a row's features are <see cref="Features"/> in order, a category
    /// column as one 0/1 feature per value (<c>color=red</c> is 1 where the row's color is red).</summary>
    [JsonPropertyOrder(0), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Categories { get; init; }

    /// <summary>Changes only when the arithmetic below does, so a program reading the file can check it.</summary>
    public const string CurrentFormat = "excl-mlp-1";

    /// <summary>How to compute a prediction from the fields, in the file itself, so that it can be used without the README.</summary>
    public string Predict =>
        (Categories is null ? "" : "features: the values named by `features`, in order, a category column as one 0/1 value per category (name=value: 1 where the row holds that value, else 0); ")
        + "x = (features - input_shift) / input_scale; for each layer but the last: x = hidden_activation(x · weights + biases) "
        + "(weights: inputs × outputs); z = x · weights + biases of the last layer; "
        + (Task == "classification"
            ? "the class is the index of the largest z (softmax(z) gives the probabilities)" + (ClassNames is null ? "" : ", named by class_names[index]")
            : "the prediction is z · target_scale + target_shift");
}

/// <summary>One dense layer: <see cref="Weights"/>[i][j] connects input i to output j.</summary>
public sealed record TrainedLayer(double[][] Weights, double[] Biases);
