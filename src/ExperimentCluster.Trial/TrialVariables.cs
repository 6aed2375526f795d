using System.Globalization;
using System.Text.Json;

namespace ExperimentCluster.Trial;

/// <summary>Reads the EXCL_* variables of the trial protocol, each with an error that names the variable.</summary>
internal sealed class TrialVariables(Func<string, string?> read, IEnumerable<KeyValuePair<string, string>> all)
{
    private const string ParamPrefix = "EXCL_PARAM_";

    /// <summary>The process's own environment.</summary>
    public static TrialVariables FromProcess()
    {
        var all = new List<KeyValuePair<string, string>>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            all.Add(new((string)e.Key, (string?)e.Value ?? ""));
        return new TrialVariables(Environment.GetEnvironmentVariable, all);
    }

    /// <summary>A given set of variables (tests, or a program that builds its own).</summary>
    public static TrialVariables From(IReadOnlyDictionary<string, string> variables) =>
        new(name => variables.TryGetValue(name, out var v) ? v : null, variables);

    public string? Text(string name)
    {
        var value = read(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public int? Int(string name, int minimum)
    {
        var text = Text(name);
        if (text is null)
            return null;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw new FormatException($"{name} is '{text}', not a whole number");
        if (value < minimum)
            throw new FormatException($"{name} is {value}; it must be at least {minimum}");
        return value;
    }

    /// <summary>EXCL_PARAMS (a JSON file) when set; otherwise the EXCL_PARAM_&lt;NAME&gt; variables, names lower-cased.</summary>
    public Dictionary<string, JsonElement> Parameters()
    {
        var path = Text("EXCL_PARAMS");
        if (path is not null)
            return ParametersFile(path);
        var parameters = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, text) in all)
        {
            if (key.Length > ParamPrefix.Length && key.StartsWith(ParamPrefix, StringComparison.Ordinal))
                parameters[key[ParamPrefix.Length..].ToLowerInvariant()] = PlaceholderValue(text);
        }
        return parameters;
    }

    private static Dictionary<string, JsonElement> ParametersFile(string path)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            root = document.RootElement.Clone();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new FormatException($"EXCL_PARAMS '{path}': cannot read a JSON object from it: {e.Message}", e);
        }
        if (root.ValueKind != JsonValueKind.Object)
            throw new FormatException($"EXCL_PARAMS '{path}' holds a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object of hyperparameters");
        return root.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>A value as the placeholder rule writes it: numbers and lists are JSON text, a string is itself.</summary>
    private static JsonElement PlaceholderValue(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }
}
