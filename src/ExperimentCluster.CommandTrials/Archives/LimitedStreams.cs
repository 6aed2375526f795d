namespace ExperimentCluster.CommandTrials.Archives;

/// <summary>
/// Passes writes on until they would go over a limit; from then on it drops them and says so in <see cref="Exceeded"/>.
/// It never throws: the writers above it (tar, gzip) flush more on their way out, and a throw there would hide the
/// first one. The packer looks at <see cref="Exceeded"/> when it is done, or early to stop reading more files.
/// </summary>
internal sealed class WriteLimitStream(Stream inner, long limit) : Stream
{
    public bool Exceeded { get; private set; }

    /// <summary>Every byte offered, passed on or dropped.</summary>
    public long Written { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => Written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Written += buffer.Length;
        if (Written > limit)
            Exceeded = true;
        if (!Exceeded)
            inner.Write(buffer);
    }

    public override void Flush()
    {
        if (!Exceeded)
            inner.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>Reads through, and refuses (with the given message) to deliver more than the limit: a decompression bomb stops here.</summary>
internal sealed class ReadLimitStream(Stream inner, long limit, Func<long, string> tooLarge) : Stream
{
    public long Delivered { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => Delivered;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Never more than one byte past the limit is asked for, so a bomb is not even decompressed much further.
        var allowed = (int)Math.Min(buffer.Length, limit + 1 - Delivered);
        var n = inner.Read(buffer[..allowed]);
        Delivered += n;
        if (Delivered > limit)
            throw new ArchiveException(tooLarge(Delivered));
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
