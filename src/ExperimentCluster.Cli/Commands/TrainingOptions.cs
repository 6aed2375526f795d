using System.Globalization;
using System.Text.Json.Nodes;
using ExperimentCluster.Training;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// Maps command-line options onto a <see cref="TrainingSpec"/> generically: every key of the spec's JSON form is an
/// option, `--foo-bar V` setting `foo_bar`, so a new trainer option needs no CLI change. `--spec FILE` starts from a
/// JSON spec; `--lr` is short for `--learning-rate`; `--layers 32,32` (or `--layers ""` for none) is a list.
/// </summary>
public static class TrainingOptions
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal) { ["lr"] = "learning_rate" };

    /// <summary>
    /// Reads every spec option from <paramref name="args"/> into the spec's JSON form (not yet validated: call
    /// CliArgs.RejectUnknown first, then <see cref="Parse"/>, so that a misspelt option is reported as such).
    /// </summary>
    public static JsonObject Collect(CliArgs args)
    {
        var json = Base(args);
        var defaults = TrainingSpecJson.ToJson(new TrainingSpec());
        foreach (var (key, defaultValue) in defaults)
        {
            var option = OptionName(key);
            var value = args.String(option);
            foreach (var (alias, target) in Aliases)
            {
                if (target != key || args.String(alias) is not { } aliased) continue;
                if (value is not null) throw new CliException($"--{alias} and --{option} are the same option; give one");
                (value, option) = (aliased, alias);
            }
            if (value is null) continue;
            json[key] = defaultValue switch
            {
                JsonArray => IntList(option, value),
                JsonValue v when v.TryGetValue<string>(out _) => JsonValue.Create(value),
                JsonValue => Number(option, value),
                // Optional settings have no default to take the type from: a number when it reads as one.
                _ => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : JsonValue.Create(value),
            };
        }
        return json;
    }

    /// <summary>Validates a spec's JSON form, turning a SpecException into one line naming the option.</summary>
    public static TrainingSpec Parse(JsonObject json)
    {
        try
        {
            return TrainingSpecJson.Parse(json);
        }
        catch (SpecException e)
        {
            throw ToCli(e);
        }
    }

    /// <summary>Every spec option with its default, for --help.</summary>
    public static string Usage()
    {
        var lines = TrainingSpecJson.ToJson(new TrainingSpec()).Select(p =>
            $"  --{OptionName(p.Key),-22} {(p.Value is null ? "(unset)" : p.Value.ToJsonString().Trim('"'))}");
        return "spec options (default shown; --lr is short for --learning-rate; --spec FILE starts from a JSON spec):\n"
            + string.Join("\n", lines);
    }

    /// <summary>One line naming the option, and its short form where it has one (`--learning-rate (--lr): ...`).</summary>
    public static CliException ToCli(SpecException e) =>
        new($"--{OptionName(e.Field)}{string.Concat(Aliases.Where(a => a.Value == e.Field).Select(a => $" (--{a.Key})"))}: {e.Reason}");

    public static string OptionName(string key) => key.Replace('_', '-');

    private static JsonObject Base(CliArgs args)
    {
        if (args.String("spec") is not { } path) return [];
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new CliException($"--spec: {path} must hold a JSON object");
        }
        catch (IOException e)
        {
            throw new CliException($"--spec: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CliException($"--spec: {e.Message}");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CliException($"--spec: {path} is not valid JSON: {e.Message}");
        }
    }

    private static JsonValue Number(string option, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? JsonValue.Create(d)
            : throw new CliException($"--{option}: '{text}' is not a number");

    private static JsonArray IntList(string option, string text)
    {
        if (text.Trim().Length == 0) return [];
        var items = text.Split(',', StringSplitOptions.TrimEntries).Select(part =>
            int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
                ? (JsonNode?)JsonValue.Create(v)
                : throw new CliException($"--{option}: '{part}' is not a whole number (give a list like 32,32)"));
        return new JsonArray(items.ToArray());
    }
}
