using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExperimentCluster.CommandTrials;

/// <summary>
/// Everything one trial's process is started with (examples/trial-protocol.md): the expanded command line, the
/// environment and the parameter file. <paramref name="Config"/> is the run's configuration as JSON texts, the seed included.
/// </summary>
public sealed record TrialLaunch(
    CommandSpec Spec,
    IReadOnlyDictionary<string, string> Config,
    string Sweep,
    int Run,
    string CodeFolder,
    string RunFolder,
    IReadOnlyList<string> Gpus,
    string? HelperFolder)
{
    public const string SeedKey = "seed";

    /// <summary>Which start of the program this is; each has its own folder under the run's.</summary>
    public string Attempt { get; init; } = "0";

    public string AttemptFolder => Path.Combine(RunFolder, "attempt-" + Attempt);

    public string CheckpointFolder => Path.Combine(AttemptFolder, "checkpoint");

    public string ParamsFile => Path.Combine(AttemptFolder, "params.json");

    public string WorkingFolder => Spec.Cwd is null ? CodeFolder : Path.GetFullPath(Path.Combine(CodeFolder, Spec.Cwd));

    /// <summary>The hyperparameters (the seed is not one), as the program sees them: placeholders and EXCL_PARAM_*.</summary>
    public IReadOnlyDictionary<string, string> ParameterTexts() => Config
        .Where(kv => kv.Key != SeedKey)
        .ToDictionary(kv => kv.Key, kv => AsText(kv.Value), StringComparer.Ordinal);

    public ProcessStartInfo StartInfo(int checkpointEpoch)
    {
        var parameters = ParameterTexts();
        var values = new Dictionary<string, string>(parameters, StringComparer.Ordinal)
        {
            [Placeholders.Seed] = Seed,
            [Placeholders.Run] = Run.ToString(CultureInfo.InvariantCulture),
            [Placeholders.Sweep] = Sweep,
            [Placeholders.CheckpointDir] = CheckpointFolder,
        };
        var start = new ProcessStartInfo { FileName = Placeholders.Expand(Spec.Run[0], values, "run[0]"), WorkingDirectory = WorkingFolder };
        for (var i = 1; i < Spec.Run.Count; i++)
            start.ArgumentList.Add(Placeholders.Expand(Spec.Run[i], values, $"run[{i}]"));

        var env = start.Environment;
        // The silo's own settings (its cluster token above all) are not the trial's business.
        foreach (var key in env.Keys.Where(k => k.StartsWith("EXCL_", StringComparison.Ordinal) || k.StartsWith("Http__", StringComparison.Ordinal)
            || k.StartsWith("Cluster__", StringComparison.Ordinal) || k.StartsWith("Experiments__", StringComparison.Ordinal)).ToList())
            env.Remove(key);
        foreach (var (name, value) in Spec.Env)
            env[name] = Placeholders.Expand(value, values, $"env.{name}");
        foreach (var (name, value) in parameters)
            env["EXCL_PARAM_" + name.ToUpperInvariant()] = value;
        env["EXCL_PARAMS"] = ParamsFile;
        env["EXCL_SEED"] = Seed;
        env["EXCL_SWEEP"] = Sweep;
        env["EXCL_RUN"] = Run.ToString(CultureInfo.InvariantCulture);
        env["EXCL_CHECKPOINT_DIR"] = CheckpointFolder;
        env["EXCL_CHECKPOINT_EPOCH"] = checkpointEpoch.ToString(CultureInfo.InvariantCulture);
        env["EXCL_MAX_EPOCHS"] = Spec.Epochs.ToString(CultureInfo.InvariantCulture);
        if (Gpus.Count > 0)
            env["CUDA_VISIBLE_DEVICES"] = string.Join(",", Gpus);
        if (HelperFolder is not null)
        {
            env["PYTHONPATH"] = env.TryGetValue("PYTHONPATH", out var path) && !string.IsNullOrEmpty(path) ? HelperFolder + Path.PathSeparator + path : HelperFolder;
        }
        // Reports must arrive as they are printed; and no __pycache__ in a code folder that trials share.
        env["PYTHONUNBUFFERED"] = "1";
        env["PYTHONDONTWRITEBYTECODE"] = "1";
        return start;
    }

    /// <summary>The parameter file: name → value, numbers as numbers, strings as strings, lists as lists.</summary>
    public void WriteParamsFile()
    {
        var json = new JsonObject();
        foreach (var (name, text) in Config.Where(kv => kv.Key != SeedKey).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            json[name] = JsonNode.Parse(text);
        File.WriteAllText(ParamsFile, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private string Seed => Config.TryGetValue(SeedKey, out var s) ? s : "0";

    private static string AsText(string json)
    {
        var node = JsonNode.Parse(json);
        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : json;
    }
}
