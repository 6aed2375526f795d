using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ExperimentCluster.Cli.CommandLine;

/// <summary>
/// Options and arguments built one way for every command: numbers read with the invariant culture, and a bad value
/// reported as the reason alone (`'x' is not a whole number`), which <see cref="ParseErrorLine"/> prefixes with the
/// option's name. Defaults are given as values where there is one, so that `--help` shows them.
/// </summary>
public static class CliOptions
{
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>Text with no default value; <paramref name="defaultText"/> says in the help what happens without it.</summary>
    public static Option<string?> Text(string name, string description, string? defaultText = null, string? helpName = null) =>
        Valued(new Option<string?>(name) { Description = WithDefault(description, defaultText), HelpName = helpName });

    public static Option<string> TextWithDefault(string name, string defaultValue, string description, string? helpName = null) =>
        Valued(new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = helpName });

    public static Option<int> Int(string name, int defaultValue, string description) =>
        Valued(new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue, CustomParser = r => ParseInt(r) ?? defaultValue, HelpName = "n" });

    /// <summary>A whole number with no default value; <paramref name="defaultText"/> says in the help what happens without it.</summary>
    public static Option<int?> Int(string name, string description, string defaultText) =>
        Valued(new Option<int?>(name) { Description = WithDefault(description, defaultText), CustomParser = ParseInt, HelpName = "n" });

    public static Option<double> Double(string name, double defaultValue, string description) =>
        Valued(new Option<double>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => ParseDouble(r) ?? defaultValue,
            HelpName = "x",
        });

    /// <summary>
    /// The parser gives an option that takes a value the next word even when that word is another option
    /// (`--lr --epochs 2` sets the rate to "--epochs"); a value never starts with `--`, so that is a missing value.
    /// </summary>
    public static Option<T> Valued<T>(Option<T> option)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.FirstOrDefault(t => t.Value.StartsWith("--", StringComparison.Ordinal)) is { } token)
                r.AddError($"a value is required ('{token.Value}' is an option)");
        });
        return option;
    }

    /// <summary>
    /// A positional argument, optional or required. A word that starts with `--` is an option the command does not
    /// know, never a file name or an id: it is reported as such instead of being taken for the argument.
    /// </summary>
    public static Argument<string?> Positional(string name, string description, bool required = true)
    {
        var argument = new Argument<string?>(name)
        {
            Description = description,
            Arity = required ? ArgumentArity.ExactlyOne : ArgumentArity.ZeroOrOne,
        };
        argument.Validators.Add(r =>
        {
            if (r.Tokens.FirstOrDefault(t => t.Value.StartsWith("--", StringComparison.Ordinal) && t.Value.Length > 2) is { } token)
                r.AddError(ParseErrorLine.UnknownOption(token.Value, r.Parent is CommandResult command ? ParseErrorLine.OptionNames(command) : null));
        });
        return argument;
    }

    private static string WithDefault(string description, string? defaultText) =>
        defaultText is null ? description : $"{description} [default: {defaultText}]";

    private static int? ParseInt(ArgumentResult result)
    {
        if (Single(result) is not { } text) return null;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return value;
        result.AddError($"'{text}' is not a whole number");
        return null;
    }

    private static double? ParseDouble(ArgumentResult result)
    {
        if (Single(result) is not { } text) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        result.AddError($"'{text}' is not a number");
        return null;
    }

    // The parser reports a missing value and a repeated option itself; a parser only sees the single-token case.
    private static string? Single(ArgumentResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value : null;
}
