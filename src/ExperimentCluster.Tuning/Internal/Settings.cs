using System.Globalization;
using System.Text.Json;

namespace ExperimentCluster.Tuning;

/// <summary>Reads one strategy's or rule's settings and rejects the ones it does not know, so that a misspelt setting is an
/// error rather than silently ignored.</summary>
internal sealed class Settings
{
    private readonly string _owner;
    private readonly IReadOnlyDictionary<string, JsonElement> _values;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public Settings(string owner, IReadOnlyDictionary<string, JsonElement>? values)
    {
        _owner = owner;
        _values = values ?? new Dictionary<string, JsonElement>();
    }

    public double Double(string name, double fallback, Func<double, bool> valid, string rule)
    {
        if (!Find(name, out var element))
        {
            return fallback;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw Bad(name, $"must be a number, got {element.GetRawText()}");
        }

        return valid(value) ? value : throw Bad(name, $"must be {rule}, got {element.GetRawText()}");
    }

    public double? OptionalDouble(string name, Func<double, bool> valid, string rule) =>
        Find(name, out _) ? Double(name, 0, valid, rule) : null;

    public int Int(string name, int fallback, Func<int, bool> valid, string rule)
    {
        if (!Find(name, out var element))
        {
            return fallback;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value))
        {
            throw Bad(name, $"must be a whole number, got {element.GetRawText()}");
        }

        return valid(value) ? value : throw Bad(name, $"must be {rule}, got {element.GetRawText()}");
    }

    public bool Bool(string name, bool fallback)
    {
        if (!Find(name, out var element))
        {
            return fallback;
        }

        return element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Bad(name, $"must be true or false, got {element.GetRawText()}"),
        };
    }

    public int? OptionalInt(string name, Func<int, bool> valid, string rule) =>
        Find(name, out _) ? Int(name, 0, valid, rule) : null;

    public string String(string name, string fallback, params string[] allowed)
    {
        if (!Find(name, out var element))
        {
            return fallback;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            throw Bad(name, $"must be a string, got {element.GetRawText()}");
        }

        var value = element.GetString()!;
        if (allowed.Length > 0 && !allowed.Contains(value, StringComparer.Ordinal))
        {
            throw Bad(name, $"must be one of {string.Join(", ", allowed)}, got '{value}'");
        }

        if (allowed.Length == 0 && string.IsNullOrWhiteSpace(value))
        {
            throw Bad(name, "must not be empty");
        }

        return value;
    }

    /// <summary>Throws for the first setting that no reader asked for.</summary>
    public void RejectUnknown()
    {
        foreach (var name in _values.Keys.Order(StringComparer.Ordinal))
        {
            if (!_known.Contains(name))
            {
                var known = _known.Count == 0 ? "it takes no settings" : "known settings: " + string.Join(", ", _known.Order(StringComparer.Ordinal));
                throw new TuningException($"{_owner}.{name}", $"unknown setting for {_owner}{Spelling.Hint(name, _known)}; {known}");
            }
        }
    }

    public TuningException Bad(string name, string reason) => new($"{_owner}.{name}", reason);

    private bool Find(string name, out JsonElement element)
    {
        _known.Add(name);
        return _values.TryGetValue(name, out element) && element.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);
    }

    public static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
