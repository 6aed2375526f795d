using System.Security.Cryptography;
using System.Text;

namespace ExperimentCluster.Silo.Gateway;

/// <summary>
/// The cluster's shared secret (the HTTP server's Http:Token) as grain calls carry it: a RequestContext value, which
/// Orleans sends in every request message's headers and imports on the receiving silo before the call's filters run.
/// </summary>
public sealed class ClusterToken
{
    /// <summary>The RequestContext key; Orleans' own keys never start with "excl.".</summary>
    public const string Key = "excl.token";

    private readonly byte[] _hash;

    public ClusterToken(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
        _hash = Hash(value);
    }

    public string Value { get; }

    /// <summary>
    /// Compares in constant time: both sides are hashed first, so neither the token's length nor its first wrong
    /// character shows in how long a refusal takes.
    /// </summary>
    public bool Matches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Hash(presented), _hash);

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
