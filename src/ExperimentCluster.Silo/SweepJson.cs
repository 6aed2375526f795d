using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Silo;

/// <summary>
/// The page's compact JSON, written by hand: curves as parallel arrays with five significant digits, so that a
/// 1,000-run sweep's downsampled curves stay near a megabyte before compression. NaN and infinities are null.
/// </summary>
public static class SweepJson
{
    public static byte[] Sweeps(IEnumerable<SweepView> views) => Write(w =>
    {
        w.WriteStartArray();
        foreach (var v in views.OrderByDescending(v => v.CreatedAt))
            Summary(w, v);
        w.WriteEndArray();
    });

    public static byte[] Curves(SweepView sweep, int points, IEnumerable<RunDetail> runs) => Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("sweep");
        Summary(w, sweep);
        w.WriteNumber("points", points);
        w.WriteStartArray("runs");
        foreach (var d in runs.OrderBy(d => d.Run.Number))
        {
            var r = d.Run;
            w.WriteStartObject();
            w.WriteNumber("n", r.Number);
            w.WriteString("status", r.Status.ToWord());
            Config(w, r.Config);
            w.WriteString("reason", r.Reason);
            w.WriteNumber("epochs", r.Epochs);
            Number(w, "best", r.BestValLoss);
            Number(w, "final", r.FinalValLoss);
            Number(w, "accuracy", r.FinalValAccuracy);
            NullableInt(w, "divergedAt", r.DivergedAtEpoch);
            w.WriteNumber("checkpoint", r.CheckpointEpoch);
            w.WriteString("silo", r.Silo);
            w.WriteNumber("resumes", r.Resumes);
            w.WriteStartArray("e");
            foreach (var e in d.Metrics)
                w.WriteNumberValue(e.Epoch);
            w.WriteEndArray();
            Series(w, "t", d.Metrics, e => e.TrainLoss);
            Series(w, "v", d.Metrics, e => e.ValLoss);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static void Summary(Utf8JsonWriter w, SweepView v)
    {
        w.WriteStartObject();
        w.WriteString("id", v.Id);
        w.WriteString("name", v.Name);
        w.WriteString("status", v.Status.ToWord());
        w.WriteNumber("plannedRuns", v.PlannedRuns);
        w.WriteNumber("finishedRuns", v.FinishedRuns);
        w.WriteStartObject("counts");
        foreach (var s in Enum.GetValues<RunStatus>())
            w.WriteNumber(s.ToWord(), v.Count(s));
        w.WriteEndObject();
        Number(w, "bestValLoss", v.BestValLoss);
        NullableInt(w, "bestRun", v.BestRun);
        w.WriteNumber("epochsReported", v.EpochsReported);
        w.WriteString("createdAt", v.CreatedAt);
        if (v.FinishedAt is { } f) w.WriteString("finishedAt", f); else w.WriteNull("finishedAt");
        w.WriteEndObject();
    }

    private static void Config(Utf8JsonWriter w, IReadOnlyDictionary<string, string> config)
    {
        w.WriteStartObject("config");
        foreach (var (key, value) in config.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(key);
            // Swept values are stored as JSON text; the page gets them as numbers, strings and lists.
            w.WriteRawValue(value);
        }
        w.WriteEndObject();
    }

    private static void Series(Utf8JsonWriter w, string name, IReadOnlyList<EpochRecord> epochs, Func<EpochRecord, double> pick)
    {
        w.WriteStartArray(name);
        foreach (var e in epochs)
            Value(w, pick(e));
        w.WriteEndArray();
    }

    private static void Value(Utf8JsonWriter w, double d)
    {
        if (double.IsFinite(d))
            w.WriteRawValue(d.ToString("G5", CultureInfo.InvariantCulture), skipInputValidation: true);
        else
            w.WriteNullValue();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
            w.WriteNumber(name, v);
        else
            w.WriteNull(name);
    }

    private static void NullableInt(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var w = new Utf8JsonWriter(buffer))
            write(w);
        return buffer.WrittenSpan.ToArray();
    }
}
