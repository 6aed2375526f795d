using System.Collections;
using System.Text;

namespace ExperimentCluster.Tuning;

/// <summary>A configuration: parameter name to canonical JSON text, ordered by name, equal by value.
/// Strategies return these; any <see cref="IReadOnlyDictionary{TKey, TValue}"/> is accepted in a history.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710", Justification = "A configuration is a value, not a collection; the dictionary interface is how strategies hand it out.")]
public sealed class TrialConfig : IReadOnlyDictionary<string, string>, IEquatable<TrialConfig>
{
    private readonly Dictionary<string, string> _values;
    private readonly KeyValuePair<string, string>[] _sorted;

    public TrialConfig(IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            _values.Add(name, JsonText.TryCanonicalize(value) ?? value);
        }

        _sorted = [.. _values.OrderBy(kv => kv.Key, StringComparer.Ordinal)];
        Key = BuildKey(_sorted);
    }

    /// <summary>The configuration as one JSON object with sorted keys: <c>{"activation":"relu","learning_rate":0.01}</c>.
    /// Two configurations are equal exactly when their keys are.</summary>
    public string Key { get; }

    public string this[string key] => _values[key];

    public IEnumerable<string> Keys => _sorted.Select(kv => kv.Key);

    public IEnumerable<string> Values => _sorted.Select(kv => kv.Value);

    public int Count => _values.Count;

    public static TrialConfig From(IReadOnlyDictionary<string, string> config) =>
        config as TrialConfig ?? new TrialConfig(config);

    /// <summary>Whether two configurations hold the same values (compared as canonical JSON).</summary>
    public static bool AreEqual(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b) =>
        a is null || b is null ? ReferenceEquals(a, b) : From(a).Equals(From(b));

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) =>
        _values.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_sorted).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(TrialConfig? other) => other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is TrialConfig other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    public override string ToString() => Key;

    private static string BuildKey(KeyValuePair<string, string>[] values)
    {
        var text = new StringBuilder("{");
        foreach (var (name, value) in values)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }

            text.Append(JsonText.Quote(name)).Append(':').Append(value);
        }

        return text.Append('}').ToString();
    }
}
