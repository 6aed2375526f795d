using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ExperimentCluster.Cli.CommandLine;
using ExperimentCluster.Training;
using ExperimentCluster.Training.Data;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// Maps command-line options onto a <see cref="TrainingSpec"/> generically: every key of the spec's JSON form is an
/// option, `--foo-bar V` setting `foo_bar`, so a new trainer option needs no CLI change. `--spec FILE` starts from a
/// JSON spec; `--lr` is short for `--learning-rate`; `--layers 32,32` (or `--layers ""` for none) is a list.
/// </summary>
public sealed class TrainingOptions
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal) { ["lr"] = "learning_rate" };

    private readonly Option<string?> _spec = CliOptions.Text("--spec", "a JSON training spec to start from; the options below override it", "none", "file");

    // Values stay text here, typed by the spec's default below, so that a bad value gets the spec's own message.
    private readonly List<(string Key, JsonNode? Default, Option<string?> Option)> _options = TrainingSpecJson.ToJson(new TrainingSpec())
        .Select(p => (p.Key, p.Value, Create(p.Key, p.Value))).ToList();

    public void AddTo(Command command)
    {
        command.Add(_spec);
        foreach (var (_, _, option) in _options)
            command.Add(option);
    }

    /// <summary>
    /// Reads every spec option the user gave into the spec's JSON form, over `--spec FILE` (not yet validated: see
    /// <see cref="Parse"/>). The defaults shown in the help are the spec's own, so only given options are written.
    /// </summary>
    public JsonObject Collect(ParseResult parse)
    {
        var json = Base(parse.GetValue(_spec));
        foreach (var (key, defaultValue, option) in _options)
        {
            if (parse.GetResult(option) is not { Implicit: false } || parse.GetValue(option) is not { } value) continue;
            var name = OptionName(key);
            json[key] = defaultValue switch
            {
                JsonArray => IntList(name, value),
                JsonValue v when v.TryGetValue<string>(out _) => JsonValue.Create(value),
                JsonValue => Number(name, value),
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
            var spec = TrainingSpecJson.ReadSettings(json);
            spec.Validate(LocalFiles(spec));
            return spec;
        }
        catch (SpecException e)
        {
            throw ToCli(e);
        }
    }

    /// <summary>
    /// What `excl train` and `excl lr-find` may read: the working folder and the folders of the files named on the command
    /// line. They run in the user's own process on the user's own files, so there is no boundary to guard; the rule still
    /// refuses devices, pipes and files above the size limit, which would hang or exhaust the process.
    /// </summary>
    public static DataFiles LocalFiles(TrainingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        IEnumerable<string> named = spec.SplitFile is null ? [spec.Dataset] : [spec.Dataset, spec.SplitFile];
        return new DataFiles(named.Select(p => Path.GetDirectoryName(Path.GetFullPath(p)) ?? Environment.CurrentDirectory).Prepend(Environment.CurrentDirectory));
    }

    /// <summary>One line naming the option, and its short form where it has one (`--learning-rate (--lr): ...`).</summary>
    public static CliException ToCli(SpecException e) =>
        new($"--{OptionName(e.Field)}{string.Concat(Aliases.Where(a => a.Value == e.Field).Select(a => $" (--{a.Key})"))}: {e.Reason}");

    public static string OptionName(string key) => key.Replace('_', '-');

    private static Option<string?> Create(string key, JsonNode? defaultValue)
    {
        var aliases = Aliases.Where(a => a.Value == key).Select(a => "--" + a.Key).ToArray();
        var option = CliOptions.Valued(new Option<string?>("--" + OptionName(key), aliases)
        {
            Description = TrainingOptionDescriptions.For(key),
            HelpName = defaultValue switch
            {
                JsonArray => "n,n,...",
                JsonValue v when v.TryGetValue<string>(out _) => "name",
                null => "value",
                _ => "x",
            },
        });
        if (defaultValue is null)
            option.Description += " [default: unset]";
        else
            option.DefaultValueFactory = _ => defaultValue is JsonArray list ? string.Join(',', list) : defaultValue.ToJsonString().Trim('"');
        return option;
    }

    private static JsonObject Base(string? path)
    {
        if (path is null) return [];
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
