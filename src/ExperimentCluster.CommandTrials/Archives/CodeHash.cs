using System.Buffers;
using System.Security.Cryptography;

namespace ExperimentCluster.CommandTrials.Archives;

/// <summary>
/// The name of an uploaded code archive: "sha256:" and the 64 lowercase hex digits of the SHA-256 of its bytes. The
/// archive is stored under this name, so that the same code uploaded twice is stored once and a name always means the
/// same bytes.
/// </summary>
public static class CodeHash
{
    public const string Prefix = "sha256:";

    private const int HexDigits = 64;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static string Of(byte[] archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        return Prefix + Convert.ToHexStringLower(SHA256.HashData(archive));
    }

    /// <summary>Why the text is not a code hash, or null when it is one.</summary>
    public static string? Problem(string? hash)
    {
        if (string.IsNullOrEmpty(hash))
            return "a code hash must not be empty; expected \"sha256:\" and 64 lowercase hex digits";
        if (!hash.StartsWith(Prefix, StringComparison.Ordinal))
            return $"'{Shown(hash)}' is not a code hash: it must start with \"sha256:\"";
        var hex = hash.AsSpan(Prefix.Length);
        if (hex.Length != HexDigits || hex.ContainsAnyExcept(LowerHex))
            return $"'{Shown(hash)}' is not a code hash: \"sha256:\" must be followed by exactly 64 lowercase hex digits";
        return null;
    }

    public static bool IsValid(string? hash) => Problem(hash) is null;

    /// <summary>The 64 hex digits alone (a folder name); the hash must be valid.</summary>
    public static string Hex(string hash)
    {
        if (Problem(hash) is { } problem)
            throw new ArgumentException(problem, nameof(hash));
        return hash[Prefix.Length..];
    }

    /// <summary>"sha256:" and the first 8 digits, for a line a person reads.</summary>
    public static string Short(string hash) => Prefix + Hex(hash)[..8] + "…";

    // An error message quotes at most the start of a bad value, never kilobytes of it.
    private static string Shown(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
