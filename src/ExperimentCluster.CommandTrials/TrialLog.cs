using System.Text;

namespace ExperimentCluster.CommandTrials;

/// <summary>
/// A run's output as people read it (`excl logs`, the run's page): the process's log lines and the silo's own notes
/// about it, the newest <see cref="MaxChars"/> kept. Offsets count every character ever appended, so a follower asks
/// "from offset N" and learns when older text was dropped.
/// </summary>
public sealed class TrialLog(int maxChars)
{
    private readonly Lock _lock = new();
    private readonly StringBuilder _text = new();
    private long _start;

    public int MaxChars { get; } = Math.Max(1024, maxChars);

    /// <summary>The offset after the last character.</summary>
    public long End
    {
        get
        {
            lock (_lock)
                return _start + _text.Length;
        }
    }

    public void Append(string line)
    {
        lock (_lock)
        {
            // A single line longer than the whole log keeps its end.
            if (line.Length >= MaxChars)
                line = line[^(MaxChars - 1)..];
            _text.Append(line).Append('\n');
            if (_text.Length <= MaxChars)
                return;
            // Drop whole lines from the front; the dropped count moves the start offset.
            var cut = _text.Length - MaxChars;
            var text = _text.ToString();
            var newline = text.IndexOf('\n', cut - 1);
            cut = newline < 0 ? cut : newline + 1;
            _text.Remove(0, cut);
            _start += cut;
        }
    }

    /// <summary>Text from <paramref name="from"/> (clamped to what is kept), at most <paramref name="maxChars"/>, and the offset to continue from.</summary>
    public (string Text, long Start, long Next) Read(long from, int maxChars)
    {
        lock (_lock)
        {
            var start = Math.Clamp(from, _start, _start + _text.Length);
            var offset = (int)(start - _start);
            var length = Math.Min(Math.Max(0, maxChars), _text.Length - offset);
            return (_text.ToString(offset, length), start, start + length);
        }
    }

    /// <summary>What a store keeps: the kept text and its start offset.</summary>
    public (string Text, long Start) Snapshot()
    {
        lock (_lock)
            return (_text.ToString(), _start);
    }

    public static TrialLog Restore(int maxChars, string? text, long start)
    {
        var log = new TrialLog(maxChars);
        if (!string.IsNullOrEmpty(text))
        {
            // Stored under a larger bound: drop whole lines from the front, as Append does.
            var cut = 0;
            if (text.Length > log.MaxChars)
            {
                var newline = text.IndexOf('\n', text.Length - log.MaxChars - 1);
                cut = newline < 0 ? text.Length - log.MaxChars : newline + 1;
            }
            log._text.Append(text, cut, text.Length - cut);
            log._start = start + cut;
        }
        return log;
    }
}
