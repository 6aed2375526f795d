namespace ExperimentCluster.Silo.Gateway;

/// <summary>
/// Puts the cluster token on every grain call this process makes: a client's (excl) and a silo's own (grain to grain,
/// reminders, the HTTP API's and the dashboard's hosted client), so that the silo's gate can check every call alike.
/// </summary>
public sealed class ClusterTokenStamp(ClusterToken token) : IOutgoingGrainCallFilter
{
    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.TargetId.IsClient())
        {
            // A call to a client's object (an observer) would carry the request context to that client: the token
            // never leaves the cluster that way, whether this call set it or the incoming call that led here did.
            RequestContext.Remove(ClusterToken.Key);
        }
        else
        {
            RequestContext.Set(ClusterToken.Key, token.Value);
        }
        return context.Invoke();
    }
}
