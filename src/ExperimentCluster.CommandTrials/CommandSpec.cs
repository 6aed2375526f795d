using System.Globalization;
using System.Text.Json.Nodes;

namespace ExperimentCluster.CommandTrials;

/// <summary>
/// The sweep file's `command` block: the user's program as a trial (examples/trial-protocol.md). Parsed in one place
/// (<see cref="Parse"/>, with path-precise errors) and stored in each run's spec with every setting spelled out
/// (<see cref="ToJson"/>), so a run started on any silo runs exactly what the file said.
/// </summary>
public sealed record CommandSpec(
    IReadOnlyList<string> Run,
    string? Cwd,
    IReadOnlyDictionary<string, string> Env,
    string Metric,
    bool Maximize,
    int Epochs,
    int Slots,
    int Gpus,
    int ReportTimeoutSeconds,
    int MaxFailures,
    string? Code,
    double? DivergenceFactor = null)
{
    public const string Key = "command";
    public const string DefaultMetric = "val_loss";
    public const int DefaultReportTimeoutSeconds = 600;

    private static readonly string[] Keys = ["run", "cwd", "env", "metric", "mode", "epochs", "slots", "gpus", "report_timeout", "max_failures", "code", "divergence_factor"];

    /// <summary>
    /// Checks a `command` block. <paramref name="hyperparameters"/>: the swept names a placeholder may use (null: any, for a
    /// stored spec that was checked when its sweep was submitted).
    /// </summary>
    public static CommandSpec Parse(JsonNode? node, IReadOnlyCollection<string>? hyperparameters)
    {
        var block = node switch
        {
            JsonArray shortForm => new JsonObject { ["run"] = shortForm.DeepClone() },
            JsonObject o => o,
            _ => throw new CommandSpecException("", "must be the program and its arguments ([\"python3\", \"train.py\"]) or an object with \"run\""),
        };
        foreach (var (key, _) in block)
        {
            if (!Keys.Contains(key, StringComparer.Ordinal))
                throw new CommandSpecException(key, "unknown key" + Spelling.Hint(key, Keys) + "; expected one of: " + string.Join(", ", Keys));
        }

        if (block["run"] is not JsonArray args || args.Count == 0)
            throw new CommandSpecException("run", "must be a non-empty list: the program, then its arguments");
        var run = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var field = $"run[{i}]";
            var arg = Text(args[i], field);
            if (i == 0 && arg.Trim().Length == 0)
                throw new CommandSpecException(field, "the program is empty");
            CheckPlaceholders(arg, field, hyperparameters);
            run.Add(arg);
        }

        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (block["env"] is { } envNode)
        {
            if (envNode is not JsonObject envObject)
                throw new CommandSpecException("env", "must be an object: NAME -> value");
            foreach (var (name, value) in envObject)
            {
                var field = $"env.{name}";
                if (!Identifier.IsValid(name))
                    throw new CommandSpecException(field, "an environment variable's name is letters, digits and _, starting with a letter or _");
                if (name.StartsWith("EXCL_", StringComparison.Ordinal))
                    throw new CommandSpecException(field, "EXCL_ names are the protocol's own (examples/trial-protocol.md)");
                var text = Text(value, field);
                CheckPlaceholders(text, field, hyperparameters);
                env[name] = text;
            }
        }

        var cwd = OptionalText(block, "cwd");
        if (cwd is not null && (Path.IsPathRooted(cwd) || cwd.Split('/', '\\').Contains("..")))
            throw new CommandSpecException("cwd", "must be a relative folder inside the code (no leading /, no ..)");

        var metric = OptionalText(block, "metric") ?? DefaultMetric;
        if (!Identifier.IsValid(metric) || TrialReportParser.ReservedKeys.Contains(metric))
            throw new CommandSpecException("metric", $"'{metric}' is not a metric name: letters, digits and _, starting with a letter or _, and not one of {string.Join(", ", TrialReportParser.ReservedKeys)}");
        var mode = OptionalText(block, "mode") ?? "min";
        if (mode is not ("min" or "max"))
            throw new CommandSpecException("mode", "must be min (lower is better, a loss) or max (higher is better, an accuracy)");

        var epochs = Whole(block, "epochs", 1, 1_000_000, null)
            ?? throw new CommandSpecException("epochs", "required: the most epochs (or steps) a trial reports; the stopping rules compare runs against it");
        var code = OptionalText(block, "code");
        if (code is not null && Archives.CodeHash.Problem(code) is { } problem)
            throw new CommandSpecException("code", problem + " (`excl submit --upload DIR` sets it)");

        // As for the built-in trainer: a loss that climbs to 10x its first value has diverged. A metric to maximise has no such scale.
        double? factor = mode == "max" ? null : 10;
        if (block["divergence_factor"] is { } factorNode)
        {
            if (factorNode is JsonValue fv && fv.GetValueKind() == System.Text.Json.JsonValueKind.Null)
                factor = null;
            else if (mode == "max")
                throw new CommandSpecException("divergence_factor", "applies to a metric to minimise (mode min): a loss that rises to this many times its first value has diverged");
            else if (factorNode is not JsonValue v || !v.TryGetValue<double>(out var f) || !double.IsFinite(f) || f <= 1)
                throw new CommandSpecException("divergence_factor", "must be a number above 1, or null to turn the check off");
            else
                factor = f;
        }
        return new CommandSpec(run, cwd, env, metric, mode == "max", epochs,
            Whole(block, "slots", 1, 256, 1)!.Value,
            Whole(block, "gpus", 0, 64, 0)!.Value,
            Whole(block, "report_timeout", 1, 7 * 24 * 3600, DefaultReportTimeoutSeconds)!.Value,
            Whole(block, "max_failures", 0, 100, 0)!.Value,
            code, factor);
    }

    /// <summary>Every setting spelled out: what a run stores and a silo reads back with <see cref="Parse"/>.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["run"] = new JsonArray(Run.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()) };
        if (Cwd is not null)
            json["cwd"] = Cwd;
        json["env"] = new JsonObject(Env.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        json["metric"] = Metric;
        json["mode"] = Maximize ? "max" : "min";
        json["epochs"] = Epochs;
        json["slots"] = Slots;
        json["gpus"] = Gpus;
        json["report_timeout"] = ReportTimeoutSeconds;
        json["max_failures"] = MaxFailures;
        if (Code is not null)
            json["code"] = Code;
        json["divergence_factor"] = DivergenceFactor;
        return json;
    }

    /// <summary>A run's spec JSON holds a command trial when its top level has the `command` key.</summary>
    public static CommandSpec? FromRunSpec(string specJson)
    {
        if (!specJson.Contains("\"" + Key + "\"", StringComparison.Ordinal))
            return null;
        return JsonNode.Parse(specJson) is JsonObject o && o[Key] is { } block ? Parse(block, null) : null;
    }

    private static void CheckPlaceholders(string text, string field, IReadOnlyCollection<string>? hyperparameters)
    {
        foreach (var name in Placeholders.Names(text, field))
        {
            if (Placeholders.RunValues.Contains(name) || hyperparameters is null || hyperparameters.Contains(name))
                continue;
            var known = hyperparameters.Concat(Placeholders.RunValues).Select(n => "{" + n + "}");
            throw new CommandSpecException(field, hyperparameters.Count == 0
                ? $"{{{name}}} names no hyperparameter: search.space is empty (known placeholders: {string.Join(", ", known)})"
                : $"{{{name}}} names no hyperparameter of search.space (known placeholders: {string.Join(", ", known)})");
        }
    }

    private static string Text(JsonNode? node, string field) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s.Contains('\0', StringComparison.Ordinal)
            ? throw new CommandSpecException(field, "holds a NUL character") : s,
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("R", CultureInfo.InvariantCulture),
        _ => throw new CommandSpecException(field, "must be a string"),
    };

    private static string? OptionalText(JsonObject o, string key) => o[key] is null ? null : o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s
        : throw new CommandSpecException(key, "must be a string");

    private static int? Whole(JsonObject o, string key, int min, int max, int? fallback)
    {
        if (o[key] is null)
            return fallback;
        if (o[key] is not JsonValue v || !v.TryGetValue<double>(out var d) || d != Math.Floor(d))
            throw new CommandSpecException(key, "must be a whole number");
        if (d < min || d > max)
            throw new CommandSpecException(key, $"must be between {min} and {max}");
        return (int)d;
    }
}
