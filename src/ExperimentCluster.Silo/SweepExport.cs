using System.Globalization;
using System.Text;
using System.Text.Json;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Silo;

/// <summary>
/// A sweep's full export: fetched once, written as CSV here (every epoch of every run) or as JSON through
/// SweepExportJson. Shared by `excl export` and the HTTP download, so that both give the same file.
/// </summary>
public static class SweepExport
{
    /// <summary>The sweep's results and every run's full trajectory; null for an unknown sweep.</summary>
    public static async Task<(SweepResults Results, IReadOnlyList<RunDetail> Runs)?> FetchAsync(IGrainFactory grains, string id)
    {
        var results = await grains.Sweep(id).GetResultsAsync();
        if (results is null)
            return null;
        var details = new List<RunDetail>();
        foreach (var chunk in results.Leaderboard.Select(r => r.Number).Order().Chunk(64))
        {
            var fetched = await Task.WhenAll(chunk.Select(n => grains.Run(id, n).GetDetailAsync(0)));
            details.AddRange(fetched.Where(d => d is not null)!);
        }
        return (results, details);
    }

    public static string Csv(SweepResults results, IReadOnlyList<RunDetail> runs)
    {
        var parameters = runs.SelectMany(r => r.Run.Config.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        sb.Append("sweep,run,status");
        foreach (var p in parameters)
            sb.Append(',').Append(Escape(p));
        // The epoch's own rate (after the schedule) is epoch_learning_rate, so it never collides with the swept learning_rate.
        sb.Append(",epoch,train_loss,val_loss,val_accuracy,epoch_learning_rate,seconds\n");
        foreach (var run in runs.OrderBy(r => r.Run.Number))
        {
            var prefix = new StringBuilder();
            prefix.Append(Escape(results.Sweep.Id)).Append(',').Append(run.Run.Number).Append(',').Append(run.Run.Status.ToWord());
            foreach (var p in parameters)
                prefix.Append(',').Append(Escape(run.Run.Config.TryGetValue(p, out var v) ? Plain(v) : ""));
            foreach (var e in run.Metrics)
            {
                sb.Append(prefix).Append(',').Append(e.Epoch).Append(',').Append(N(e.TrainLoss)).Append(',').Append(N(e.ValLoss))
                    .Append(',').Append(e.ValAccuracy is { } a ? N(a) : "").Append(',').Append(N(e.LearningRate)).Append(',').Append(N(e.Seconds)).Append('\n');
            }
        }
        return sb.ToString();
    }

    private static string N(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A JSON string value shows without its quotes in a CSV cell.</summary>
    private static string Plain(string json) => json.Length >= 2 && json[0] == '"' ? JsonSerializer.Deserialize<string>(json) ?? "" : json;

    private static string Escape(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
