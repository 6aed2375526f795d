using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>One run in the export: its hyperparameters, how it ended, its full trainer settings and every epoch. Its final
/// validation loss is that of the weights it ended with: its last epoch's, or with patience its best epoch's (<c>model_epoch</c>,
/// written only then).</summary>
public sealed record ExportRunJson(
    int Run,
    [property: JsonConverter(typeof(JsonTextMapConverter))] IReadOnlyDictionary<string, string> Hyperparameters,
    RunStatus Status,
    string? Reason,
    int? DivergedAtEpoch,
    double? BestValLoss,
    double? FinalValLoss,
    int Resumes,
    [property: JsonConverter(typeof(JsonTextConverter))] string Settings,
    IReadOnlyList<EpochJson> Epochs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ModelEpoch = null)
{
    public static ExportRunJson From(RunDetail d) =>
        new(d.Run.Number, d.Run.Config, d.Run.Status, d.Run.Reason, d.Run.DivergedAtEpoch, d.Run.BestValLoss, d.Run.FinalValLoss, d.Run.Resumes, d.SpecJson,
            d.Metrics.Select(EpochJson.From).ToList(), d.Run.ModelEpoch);
}
