namespace ExperimentCluster.Contracts;

/// <summary>
/// Uploaded code (a gzip-compressed tar of the user's folder), keyed by its hash "sha256:&lt;64 hex digits&gt;". Stored
/// once in the cluster's storage; every silo that runs a trial of it fetches it from here and unpacks it (CodeCache).
/// </summary>
[Alias("ICodeGrain")]
public interface ICodeGrain : IGrainWithStringKey
{
    [Alias("Has")]
    Task<bool> HasAsync();

    /// <summary>
    /// Stores the archive. Refused (<see cref="CodeStoreException"/>) when its hash is not this grain's key or it is over
    /// the cluster's limit; storing the same archive again does nothing.
    /// </summary>
    [Alias("Store")]
    Task StoreAsync(byte[] archive);

    /// <summary>The archive, or null when none was stored under this hash.</summary>
    [Alias("Get")]
    Task<byte[]?> GetAsync();
}

/// <summary>The cluster refused uploaded code: the message says why (a hash that does not match, a size over the limit).</summary>
[GenerateSerializer, Alias("CodeStoreException")]
public sealed class CodeStoreException : Exception
{
    public CodeStoreException()
    {
    }

    public CodeStoreException(string message)
        : base(message)
    {
    }

    public CodeStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
