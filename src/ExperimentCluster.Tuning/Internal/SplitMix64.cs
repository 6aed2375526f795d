namespace ExperimentCluster.Tuning;

/// <summary>A tiny seeded generator (SplitMix64) whose whole state is one number, so that a stream is a pure function of
/// (seed, trial, parameter) and nothing has to be saved between calls.</summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>A generator for one purpose: the sweep seed mixed with any number of keys (trial number, parameter name hash...).</summary>
    public static SplitMix64 For(ulong seed, params ReadOnlySpan<ulong> keys)
    {
        var state = Mix(seed ^ 0x6A09E667F3BCC908UL);
        foreach (var key in keys)
        {
            state = Mix(state ^ Mix(key + 0x9E3779B97F4A7C15UL));
        }

        return new SplitMix64(state);
    }

    /// <summary>A stable 64-bit hash of a name (FNV-1a over UTF-16 code units; <see cref="string.GetHashCode()"/> changes per process).</summary>
    public static ulong Hash(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return hash;
    }

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n), without modulo bias.</summary>
    public ulong NextBelow(ulong n)
    {
        ArgumentOutOfRangeException.ThrowIfZero(n);
        var limit = ulong.MaxValue - (ulong.MaxValue % n);
        ulong x;
        do
        {
            x = NextUInt64();
        }
        while (x >= limit);
        return x % n;
    }

    /// <summary>A standard normal draw (Box-Muller, one of the pair).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
