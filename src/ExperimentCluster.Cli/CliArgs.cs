using System.Globalization;

namespace ExperimentCluster.Cli;

/// <summary>
/// The parsed words of one command line: `--name value` options, `--flag` switches and positional arguments.
/// Every lookup is declared, so that an option the command does not know is reported instead of ignored.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Positionals { get; }

    private CliArgs(List<string> positionals) => Positionals = positionals;

    /// <summary>Splits the words; a word after `--name` that does not start with `--` is its value.</summary>
    public static CliArgs Parse(IEnumerable<string> words, IReadOnlySet<string> switches)
    {
        var positionals = new List<string>();
        var args = new CliArgs(positionals);
        var pending = new List<string>(words);
        for (var i = 0; i < pending.Count; i++)
        {
            var w = pending[i];
            if (!w.StartsWith("--", StringComparison.Ordinal) || w == "--")
            {
                positionals.Add(w);
                continue;
            }
            var name = w[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (!switches.Contains(name))
            {
                if (i + 1 >= pending.Count)
                    throw new CliException($"--{name}: a value is required");
                value = pending[++i];
            }
            if (!args._options.TryAdd(name, value))
                throw new CliException($"--{name}: given more than once");
        }
        return args;
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    public string? String(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var v) ? v : null;
    }

    public string String(string name, string fallback) => String(name) ?? fallback;

    public int Int(string name, int fallback)
    {
        var s = String(name);
        if (s is null) return fallback;
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new CliException($"--{name}: '{s}' is not a whole number");
    }

    public int? Int(string name) => String(name) is null ? null : Int(name, 0);

    public double Double(string name, double fallback) => Double(name) ?? fallback;

    public double? Double(string name)
    {
        var s = String(name);
        if (s is null) return null;
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new CliException($"--{name}: '{s}' is not a number");
    }

    /// <summary>A comma-separated list of whole numbers; an empty string is an empty list.</summary>
    public int[]? IntList(string name)
    {
        var s = String(name);
        if (s is null) return null;
        if (s.Trim().Length == 0) return [];
        return s.Split(',', StringSplitOptions.TrimEntries).Select(part =>
            int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new CliException($"--{name}: '{part}' is not a whole number")).ToArray();
    }

    /// <summary>Call after every lookup: rejects options the command never asked for.</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.FirstOrDefault(k => !_used.Contains(k));
        if (unknown is not null)
            throw new CliException($"--{unknown}: unknown option");
    }
}
