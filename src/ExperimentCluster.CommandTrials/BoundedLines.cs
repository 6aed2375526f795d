namespace ExperimentCluster.CommandTrials;

/// <summary>Reads lines from a process's output without trusting it: a line longer than the limit is cut there (the
/// rest, up to the next newline, is dropped), so a trial that prints megabytes without a newline costs no memory.</summary>
internal static class BoundedLines
{
    public static async IAsyncEnumerable<(string Line, bool Cut)> ReadAsync(TextReader reader, int maxChars)
    {
        var buffer = new char[8192];
        var line = new System.Text.StringBuilder();
        var cut = false;
        while (true)
        {
            var read = await reader.ReadAsync(buffer.AsMemory());
            if (read == 0)
                break;
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != '\n')
                    continue;
                Add(buffer.AsSpan(start, i - start));
                var end = line.Length > 0 && line[^1] == '\r' ? line.Length - 1 : line.Length;
                yield return (line.ToString(0, end), cut);
                line.Clear();
                cut = false;
                start = i + 1;
            }
            Add(buffer.AsSpan(start, read - start));
        }
        if (line.Length > 0)
            yield return (line.ToString(), cut);

        void Add(ReadOnlySpan<char> chars)
        {
            var room = maxChars - line.Length;
            if (chars.Length > room)
            {
                cut = true;
                chars = chars[..Math.Max(0, room)];
            }
            line.Append(chars);
        }
    }
}
