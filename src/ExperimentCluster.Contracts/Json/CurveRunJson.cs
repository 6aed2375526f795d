using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>
/// One run on the sweep page: its facts and its curve as parallel arrays e (epoch), t (train loss), v (validation
/// loss). The curve's keys are one letter and its numbers five digits because a 1,000-run sweep sends a thousand of them.
/// </summary>
public sealed record CurveRunJson(
    [property: JsonPropertyName("n")] int Number,
    RunStatus Status,
    [property: JsonConverter(typeof(JsonTextMapConverter))] IReadOnlyDictionary<string, string> Config,
    string? Reason,
    int Epochs,
    double? Best,
    double? Final,
    double? Accuracy,
    int? DivergedAt,
    int Checkpoint,
    string? Silo,
    int Resumes,
    [property: JsonPropertyName("e")] IReadOnlyList<int> EpochNumbers,
    [property: JsonPropertyName("t"), JsonConverter(typeof(FiveDigitsConverter))] IReadOnlyList<double> TrainLoss,
    [property: JsonPropertyName("v"), JsonConverter(typeof(FiveDigitsConverter))] IReadOnlyList<double> ValLoss)
{
    public static CurveRunJson From(RunDetail d)
    {
        var r = d.Run;
        return new CurveRunJson(r.Number, r.Status, r.Config, r.Reason, r.Epochs, r.BestValLoss, r.FinalValLoss, r.FinalValAccuracy,
            r.DivergedAtEpoch, r.CheckpointEpoch, r.Silo, r.Resumes,
            d.Metrics.Select(e => e.Epoch).ToList(), d.Metrics.Select(e => e.TrainLoss).ToList(), d.Metrics.Select(e => e.ValLoss).ToList());
    }
}
