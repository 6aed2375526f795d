using System.Globalization;
using System.Text;
using System.Text.Json;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Silo;

/// <summary>
/// A sweep's full export: every epoch of every run as CSV, or every run with its settings and epochs as JSON.
/// Shared by `excl export` and the HTTP download, so that both give the same file.
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

    public static string JsonDocument(SweepResults results, IReadOnlyList<RunDetail> runs)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("sweep_id", results.Sweep.Id);
            w.WriteString("name", results.Sweep.Name);
            w.WriteString("status", results.Sweep.Status.ToWord());
            Number(w, "best_val_loss", results.Sweep.BestValLoss);
            if (results.Sweep.BestRun is { } best) w.WriteNumber("best_run", best); else w.WriteNull("best_run");
            w.WriteString("explanation", results.Explanation);
            w.WriteStartArray("per_value");
            foreach (var v in results.PerValue)
            {
                w.WriteStartObject();
                w.WriteString("parameter", v.Parameter);
                w.WritePropertyName("value");
                w.WriteRawValue(v.Value);
                w.WriteNumber("runs", v.Runs);
                w.WriteNumber("finished", v.Finished);
                Number(w, "mean_final_val_loss", v.MeanFinalValLoss);
                Number(w, "std_final_val_loss", v.StdFinalValLoss);
                w.WriteNumber("diverged", v.Diverged);
                Number(w, "best_val_loss", v.BestValLoss);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("runs");
            foreach (var run in runs.OrderBy(r => r.Run.Number))
            {
                w.WriteStartObject();
                w.WriteNumber("run", run.Run.Number);
                Config(w, "hyperparameters", run.Run.Config);
                w.WriteString("status", run.Run.Status.ToWord());
                if (run.Run.Reason is { } reason) w.WriteString("reason", reason); else w.WriteNull("reason");
                if (run.Run.DivergedAtEpoch is { } d) w.WriteNumber("diverged_at_epoch", d); else w.WriteNull("diverged_at_epoch");
                Number(w, "best_val_loss", run.Run.BestValLoss);
                w.WriteNumber("resumes", run.Run.Resumes);
                w.WritePropertyName("settings");
                w.WriteRawValue(run.SpecJson);
                w.WriteStartArray("epochs");
                foreach (var e in run.Metrics)
                {
                    w.WriteStartObject();
                    w.WriteNumber("epoch", e.Epoch);
                    Number(w, "train_loss", e.TrainLoss);
                    Number(w, "val_loss", e.ValLoss);
                    Number(w, "val_accuracy", e.ValAccuracy);
                    Number(w, "learning_rate", e.LearningRate);
                    Number(w, "seconds", e.Seconds);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string N(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A JSON string value shows without its quotes in a CSV cell.</summary>
    private static string Plain(string json) => json.Length >= 2 && json[0] == '"' ? JsonSerializer.Deserialize<string>(json) ?? "" : json;

    private static string Escape(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    /// <summary>NaN and infinities are written as null so that the document stays valid JSON.</summary>
    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
            w.WriteNumber(name, v);
        else
            w.WriteNull(name);
    }

    /// <summary>Swept values are stored as JSON text; they are written back as JSON values, not strings.</summary>
    private static void Config(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> config)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in config.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(key);
            w.WriteRawValue(value);
        }
        w.WriteEndObject();
    }
}
