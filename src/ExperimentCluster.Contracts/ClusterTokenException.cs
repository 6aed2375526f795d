namespace ExperimentCluster.Contracts;

/// <summary>
/// A silo refused a client's call because it carried no cluster token or a wrong one. Its own type, sent back to the
/// client, so that excl can tell a refusal (fix the token) from a cluster that stopped answering (try again).
/// </summary>
[GenerateSerializer, Alias("ClusterTokenException")]
public sealed class ClusterTokenException : Exception
{
    public ClusterTokenException()
    {
    }

    public ClusterTokenException(string message)
        : base(message)
    {
    }

    public ClusterTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
