using ExperimentCluster.Cli;

namespace ExperimentCluster.EndToEnd.Tests;

/// <summary>What excl prints from a sweep cannot drive the terminal: control characters come out as visible escapes.</summary>
public sealed class TerminalTextTests
{
    [Fact]
    public void An_escape_sequence_in_a_name_is_printed_as_text_not_sent_to_the_terminal()
    {
        Assert.Equal("red\\u001B[31m name\\u0007", TerminalText.Plain("red\u001b[31m name\u0007"));
        Assert.Equal("one\\u000Atwo", TerminalText.Plain("one\ntwo"));
        Assert.Equal("[[bold]]\\u001B", TerminalText.Markup("[bold]\u001b"));
        Assert.Equal("plain text", TerminalText.Plain("plain text"));
    }

    [Fact]
    public void A_multi_line_explanation_keeps_its_line_breaks_and_nothing_else()
    {
        Assert.Equal("first\n  second \\u001B]0;title\\u0007", TerminalText.Lines("first\n  second \u001b]0;title\u0007"));
    }

    [Fact]
    public void A_programs_output_keeps_line_breaks_and_tabs_and_escapes_carriage_returns_and_escape_sequences()
    {
        Assert.Equal("epoch\t1\n10%\\u000D20%\\u001B[2J\n", TerminalText.Output("epoch\t1\n10%\r20%\u001b[2J\n"));
    }
}
