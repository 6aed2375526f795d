using System.CommandLine;
using System.CommandLine.Parsing;

namespace ExperimentCluster.Cli.CommandLine;

/// <summary>
/// A bad command line as the one line every excl error is: `PROGRAM COMMAND: --option: reason`. The parser's own
/// messages are several lines with the help below them; a user who typed one wrong option needs only which and why.
/// </summary>
public static class ParseErrorLine
{
    private const string UnknownOptionReason = ": unknown option";

    public static string UnknownOption(string token, IEnumerable<string>? known = null) =>
        token + UnknownOptionReason + (known is null ? "" : Spelling.Hint(token, known));

    /// <summary>The line for a parse with errors; <paramref name="program"/> is the first word (`excl`).</summary>
    public static string For(ParseResult parse, string program)
    {
        // A wrong option explains the errors that follow from it (a value it did not take is now a stray argument):
        // an unknown option first, then one with a bad or missing value, then the rest in order.
        var reason = parse.Errors
            .Select(e => (Reason: Reason(parse, e, program), Symbol: e.SymbolResult))
            .OrderBy(e => e.Reason.Contains(UnknownOptionReason, StringComparison.Ordinal) ? 0 : e.Symbol is OptionResult or ArgumentResult { Parent: OptionResult } ? 1 : 2)
            .First().Reason;
        return $"{CommandPath(parse, program)}: {reason}";
    }

    private static string Reason(ParseResult parse, ParseError error, string program)
    {
        var command = parse.CommandResult.Command;
        switch (error.SymbolResult)
        {
            case OptionResult option when option.IdentifierTokenCount > 1:
                return $"{option.Option.Name}: given more than once";
            case OptionResult option when option.Tokens.Count == 0:
                return $"{option.Option.Name}: a value is required";
            case OptionResult option:
                return $"{option.Option.Name}: {error.Message}";
            case ArgumentResult { Parent: OptionResult option }:
                return $"{option.Option.Name}: {error.Message}";
            case ArgumentResult argument when argument.Tokens.Count == 0:
                return $"usage: {CommandPath(parse, program)} {argument.Argument.Name} (see --help)";
            case ArgumentResult:
                return error.Message;
        }
        if (parse.UnmatchedTokens is [var token, ..])
        {
            if (token.StartsWith('-') && token.Length > 1 && !double.TryParse(token, out _))
                return UnknownOption(token, OptionNames(parse.CommandResult));
            return command is RootCommand
                ? $"unknown command '{token}'{Spelling.Hint(token, command.Subcommands.Select(c => c.Name))} (--help lists them)"
                : $"unexpected argument '{token}'";
        }
        return error.Message;
    }

    /// <summary>Every option the command takes: its own, and the recursive ones of the commands above it.</summary>
    public static IEnumerable<string> OptionNames(CommandResult result)
    {
        for (SymbolResult? r = result; r is CommandResult c; r = r.Parent)
        {
            foreach (var option in c.Command.Options.Where(o => r == result || o.Recursive))
            {
                yield return option.Name;
                foreach (var alias in option.Aliases)
                    yield return alias;
            }
        }
    }

    /// <summary>The words that name the command run: `excl watch`.</summary>
    public static string CommandPath(ParseResult parse, string program)
    {
        var names = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is CommandResult c && c.Command is not RootCommand; r = r.Parent)
            names.Insert(0, c.Command.Name);
        return string.Join(' ', names.Prepend(program));
    }
}
