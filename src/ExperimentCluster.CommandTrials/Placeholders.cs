using System.Text;

namespace ExperimentCluster.CommandTrials;

/// <summary>
/// `{name}` in a command's arguments and environment: a hyperparameter, or one of the run's own values
/// (<see cref="RunValues"/>). `{{` and `}}` are literal braces. One parser serves the sweep file's check and the silo's
/// expansion, so a template that passed the check expands the same way on every silo.
/// </summary>
public static class Placeholders
{
    public const string Seed = "seed";
    public const string Run = "run";
    public const string Sweep = "sweep";
    public const string CheckpointDir = "checkpoint_dir";

    public static IReadOnlyList<string> RunValues { get; } = [Seed, Run, Sweep, CheckpointDir];

    /// <summary>The names a template uses; throws <see cref="CommandSpecException"/> for a malformed template.</summary>
    public static IReadOnlyList<string> Names(string template, string field) => Parse(template, field).OfType<Part.Name>().Select(n => n.Value).ToList();

    /// <summary>The template with every placeholder replaced; a name missing from <paramref name="values"/> is a bug of the
    /// caller (the sweep file was checked), so it throws.</summary>
    public static string Expand(string template, IReadOnlyDictionary<string, string> values, string field)
    {
        var text = new StringBuilder(template.Length);
        foreach (var part in Parse(template, field))
        {
            text.Append(part switch
            {
                Part.Literal l => l.Value,
                Part.Name n => values.TryGetValue(n.Value, out var v) ? v : throw new CommandSpecException(field, $"{{{n.Value}}} has no value"),
                _ => "",
            });
        }
        return text.ToString();
    }

    private abstract record Part
    {
        public sealed record Literal(string Value) : Part;

        public sealed record Name(string Value) : Part;
    }

    private static List<Part> Parse(string template, string field)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{' || c == '}' && i + 1 < template.Length && template[i + 1] == '}')
            {
                literal.Append(c);
                i++;
                continue;
            }
            if (c == '}')
                throw new CommandSpecException(field, $"a '}}' at character {i + 1} closes nothing (write }}}} for a literal brace)");
            if (c != '{')
            {
                literal.Append(c);
                continue;
            }
            var end = template.IndexOf('}', i + 1);
            if (end < 0)
                throw new CommandSpecException(field, $"the '{{' at character {i + 1} is not closed (write {{{{ for a literal brace)");
            var name = template[(i + 1)..end];
            if (!Identifier.IsValid(name))
                throw new CommandSpecException(field, $"{{{name}}} is not a placeholder: a name is letters, digits and _, starting with a letter or _");
            if (literal.Length > 0)
                parts.Add(new Part.Literal(literal.ToString()));
            literal.Clear();
            parts.Add(new Part.Name(name));
            i = end;
        }
        if (literal.Length > 0)
            parts.Add(new Part.Literal(literal.ToString()));
        return parts;
    }
}

/// <summary>Names of hyperparameters, metrics and placeholders: what an environment variable and a JSON key can both carry.</summary>
public static class Identifier
{
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= 100
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
