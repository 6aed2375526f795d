using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ExperimentCluster.Trial;

/// <summary>
/// The trial's checkpoint folder as the helpers lay it out (the same as excl_trial.py): the state of epoch N is
/// <c>excl-state-N.json</c>, <c>{"epoch": N, "state": ...}</c>, written to <c>excl-state-N.json.partial</c> first and
/// renamed, so the folder never holds a partial state file. The last two states are kept: a run stopped between
/// writing a checkpoint and reporting it still finds the one it reported.
/// </summary>
internal sealed partial class CheckpointFolder(string path)
{
    private const string TemporarySuffix = ".partial";

    /// <summary>Named floats let a diverged model (NaN weights) be saved and restored like any other.</summary>
    internal static readonly JsonSerializerOptions StateJson = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        IncludeFields = true,
    };

    public string Path { get; } = path;

    public static string FileName(int epoch) => $"excl-state-{epoch.ToString(CultureInfo.InvariantCulture)}.json";

    /// <summary>Writes the state of the epoch completely, then drops the states older than the one before it.</summary>
    public void Save<TState>(int epoch, TState state)
    {
        var final = System.IO.Path.Combine(Path, FileName(epoch));
        var temporary = final + TemporarySuffix;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                using (var writer = new Utf8JsonWriter(stream))
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("epoch", epoch);
                    writer.WritePropertyName("state");
                    JsonSerializer.Serialize(writer, state, StateJson);
                    writer.WriteEndObject();
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, final, overwrite: true); // rename(2): readers see the old file or the whole new one
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
        foreach (var old in StoredEpochs().Where(e => e < epoch - 1))
            File.Delete(System.IO.Path.Combine(Path, FileName(old)));
    }

    /// <summary>
    /// The state to resume from: that of <paramref name="expectedEpoch"/> when the cluster names one (0: a fresh start),
    /// else the newest in the folder. States of later epochs (written, never reported) and leftover partial files are
    /// removed, so that the run carries on from exactly the reported checkpoint.
    /// </summary>
    public (int Epoch, TState? State) Restore<TState>(int? expectedEpoch)
    {
        var stored = StoredEpochs();
        var epoch = expectedEpoch ?? (stored.Count > 0 ? stored.Max() : 0);
        foreach (var name in Directory.EnumerateFiles(Path).Select(System.IO.Path.GetFileName))
        {
            if (name!.EndsWith(TemporarySuffix, StringComparison.Ordinal) && StateFile().IsMatch(name[..^TemporarySuffix.Length]))
                File.Delete(System.IO.Path.Combine(Path, name));
        }
        foreach (var later in stored.Where(e => e > epoch))
            File.Delete(System.IO.Path.Combine(Path, FileName(later)));
        if (epoch == 0)
            return (0, default);
        var file = System.IO.Path.Combine(Path, FileName(epoch));
        if (!stored.Contains(epoch))
        {
            var holds = string.Join(", ", Directory.EnumerateFileSystemEntries(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal));
            throw new InvalidOperationException(
                $"EXCL_CHECKPOINT_EPOCH is {epoch} but the checkpoint folder {Path} holds no {FileName(epoch)} (it holds: {(holds.Length > 0 ? holds : "nothing")})");
        }
        using var document = JsonDocument.Parse(File.ReadAllBytes(file));
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("epoch", out var savedEpoch) || savedEpoch.ValueKind != JsonValueKind.Number
            || !savedEpoch.TryGetInt32(out var saved) || saved != epoch || !root.TryGetProperty("state", out var state))
            throw new InvalidOperationException($"checkpoint file {file} is not a trial state of epoch {epoch}");
        return (epoch, state.Deserialize<TState>(StateJson));
    }

    /// <summary>The epochs whose state files the folder holds.</summary>
    public List<int> StoredEpochs()
    {
        var epochs = new List<int>();
        foreach (var name in Directory.EnumerateFiles(Path).Select(System.IO.Path.GetFileName))
        {
            var match = StateFile().Match(name!);
            if (match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
                epochs.Add(epoch);
        }
        return epochs;
    }

    [GeneratedRegex(@"^excl-state-(\d+)\.json$")]
    private static partial Regex StateFile();
}
