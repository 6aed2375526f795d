namespace ExperimentCluster.CommandTrials;

/// <summary>The id of uploaded code: the SHA-256 of its archive, `sha256:` and 64 lower-case hex digits.</summary>
public static class CodeId
{
    public const string Prefix = "sha256:";

    private static readonly System.Buffers.SearchValues<char> Hex = System.Buffers.SearchValues.Create("0123456789abcdef");

    public static bool IsValid(string id) =>
        id.Length == Prefix.Length + 64 && id.StartsWith(Prefix, StringComparison.Ordinal)
        && id.AsSpan(Prefix.Length).IndexOfAnyExcept(Hex) < 0;
}
