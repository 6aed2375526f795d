namespace ExperimentCluster.Cli.Output;

/// <summary>One row's prediction in `excl predict --json`: a classifier's class (its index, and its name when the data
/// named the classes) and probabilities, or a regression's value.</summary>
public sealed record PredictionLine(int Line, int? Class, string? ClassName, IReadOnlyList<double>? Probabilities, double? Prediction);

/// <summary>The last line of `excl predict --json`: what was predicted and, with the true values, how well.</summary>
public sealed record PredictionSummaryLine(
    string Event, int Rows, string? Out, string? Target,
    double? LogLoss, double? Accuracy, int? Correct, double? Mse, double? Rmse, double? Mae, double? StandardisedMse);
