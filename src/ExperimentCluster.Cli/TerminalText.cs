using System.Globalization;
using System.Text;
using Spectre.Console;

namespace ExperimentCluster.Cli;

/// <summary>
/// Text from a sweep (names, ids, values, reasons) made safe to print: control characters are written as \u001B and the
/// like, so that an escape sequence stored through the HTTP API cannot move the cursor, retitle or recolour the terminal of
/// whoever lists sweeps. Spectre's Markup.Escape only doubles brackets; <see cref="Markup"/> does both.
/// </summary>
public static class TerminalText
{
    public static string Plain(string? text) => Escape(text, keep: "");

    /// <summary>A multi-line text of our own making (the search's explanation): its line breaks kept, every other control character escaped.</summary>
    public static string Lines(string? text) => Escape(text, keep: "\n");

    /// <summary>
    /// A program's output (`excl logs`): line breaks and tabs kept (neither can do more than move to the next line or
    /// column), every other control character escaped, a carriage return too, so that no line overwrites another.
    /// </summary>
    public static string Output(string? text) => Escape(text, keep: "\n\t");

    private static string Escape(string? text, string keep)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(c => char.IsControl(c) && !keep.Contains(c, StringComparison.Ordinal)))
            return text ?? "";
        var safe = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c) && !keep.Contains(c, StringComparison.Ordinal))
                safe.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else
                safe.Append(c);
        }
        return safe.ToString();
    }

    /// <summary>Plain text inside Spectre markup: control characters escaped, then brackets.</summary>
    public static string Markup(string? text) => Spectre.Console.Markup.Escape(Plain(text));
}
