using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>How the runs with one value of one swept hyperparameter did; the value is written as the JSON value it is.</summary>
public sealed record ValueSummaryJson(
    string Parameter,
    [property: JsonConverter(typeof(JsonTextConverter))] string Value,
    int Runs,
    int Finished,
    double? MeanFinalValLoss,
    double? StdFinalValLoss,
    int Diverged,
    double? BestValLoss)
{
    public static ValueSummaryJson From(ValueSummaryView v) =>
        new(v.Parameter, v.Value, v.Runs, v.Finished, v.MeanFinalValLoss, v.StdFinalValLoss, v.Diverged, v.BestValLoss);
}
