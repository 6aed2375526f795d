using ExperimentCluster.CommandTrials;

namespace ExperimentCluster.Grains.Tests.CommandTrials;

public sealed class TrialLogTests
{
    private const int Max = 1024;

    /// <summary>Line i is "line NNN " padded with dots to 40 characters (41 with its newline).</summary>
    private static string Line(int i) => $"line {i:000} ".PadRight(40, '.');

    [Fact]
    public void The_log_keeps_the_newest_whole_lines_within_its_bound_and_offsets_count_everything_ever_appended()
    {
        var log = new TrialLog(Max);
        for (var i = 0; i < 100; i++)
            log.Append(Line(i));

        Assert.Equal(100 * 41, log.End);
        var (text, start) = log.Snapshot();
        Assert.InRange(text.Length, Max - 41, Max);
        Assert.Equal(log.End, start + text.Length);
        // Whole lines only: the kept text starts at a line's start and ends with the newest one.
        Assert.Equal(0, start % 41);
        Assert.StartsWith(Line((int)(start / 41)) + "\n", text, StringComparison.Ordinal);
        Assert.EndsWith(Line(99) + "\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_from_an_offset_gives_what_followed_it_and_an_offset_already_dropped_is_clamped_to_what_is_kept()
    {
        var log = new TrialLog(Max);
        log.Append("first");
        log.Append("second");
        Assert.Equal(("second\n", 6L, 13L), log.Read(6, 100));
        Assert.Equal(("sec", 6L, 9L), log.Read(6, 3));
        Assert.Equal(("", 13L, 13L), log.Read(13, 100));
        Assert.Equal(("", 13L, 13L), log.Read(500, 100));

        for (var i = 0; i < 100; i++)
            log.Append(Line(i));
        var (text, start, next) = log.Read(0, 1 << 20);
        Assert.True(start > 0, "the oldest lines should have been dropped");
        Assert.Equal(log.End, next);
        Assert.Equal(log.Snapshot().Text, text);
        // A follower that was at offset 13 learns that text was dropped: the answer starts later than it asked.
        Assert.True(log.Read(13, 10).Start > 13);
    }

    [Fact]
    public void A_line_longer_than_the_whole_log_keeps_its_end()
    {
        var log = new TrialLog(Max);
        log.Append("before");
        var longLine = new string('x', 5000) + "END";
        log.Append(longLine);
        var (text, start) = log.Snapshot();
        Assert.Equal(Max, text.Length);
        Assert.EndsWith("xEND\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("before", text, StringComparison.Ordinal);
        Assert.Equal(log.End, start + text.Length);
        // The next line pushes out the long one whole: no line is kept in part.
        log.Append("after");
        Assert.Equal(("after\n", log.End - 6), log.Snapshot());
    }

    [Fact]
    public void A_restored_log_continues_the_offsets_of_the_stored_one()
    {
        var log = new TrialLog(Max);
        for (var i = 0; i < 60; i++)
            log.Append(Line(i));
        var (text, start) = log.Snapshot();

        var restored = TrialLog.Restore(Max, text, start);
        Assert.Equal(log.End, restored.End);
        Assert.Equal(log.Read(0, 1 << 20), restored.Read(0, 1 << 20));
        log.Append("next");
        restored.Append("next");
        Assert.Equal(log.Snapshot(), restored.Snapshot());

        var empty = TrialLog.Restore(Max, null, 0);
        Assert.Equal(0, empty.End);
        Assert.Equal(("", 0L, 0L), empty.Read(0, 10));
    }

    [Fact]
    public void A_log_restored_with_a_smaller_bound_drops_whole_lines_too()
    {
        var log = new TrialLog(4 * Max);
        for (var i = 0; i < 100; i++)
            log.Append(Line(i));
        var (text, start) = log.Snapshot();

        var restored = TrialLog.Restore(Max, text, start);
        var (kept, keptStart) = restored.Snapshot();
        Assert.True(kept.Length <= Max);
        Assert.Equal(log.End, restored.End);
        Assert.Equal(0, keptStart % 41);
        Assert.StartsWith("line ", kept, StringComparison.Ordinal);
        Assert.EndsWith(Line(99) + "\n", kept, StringComparison.Ordinal);
    }
}
