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
    public static string Plain(string? text) => Escape(text, keepLineBreaks: false);

    /// <summary>A multi-line text of our own making (the search's explanation): its line breaks kept, every other control character escaped.</summary>
    public static string Lines(string? text) => Escape(text, keepLineBreaks: true);

    private static string Escape(string? text, bool keepLineBreaks)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(c => char.IsControl(c) && !(keepLineBreaks && c == '\n')))
            return text ?? "";
        var safe = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c) && !(keepLineBreaks && c == '\n'))
                safe.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else
                safe.Append(c);
        }
        return safe.ToString();
    }

    /// <summary>Plain text inside Spectre markup: control characters escaped, then brackets.</summary>
    public static string Markup(string? text) => Spectre.Console.Markup.Escape(Plain(text));
}
