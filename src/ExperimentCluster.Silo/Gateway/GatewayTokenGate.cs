using ExperimentCluster.Contracts;

namespace ExperimentCluster.Silo.Gateway;

/// <summary>
/// Refuses every grain call that does not carry the cluster token.
/// </summary>
/// <remarks>
/// Why every call, and not only those whose <see cref="IGrainCallContext.SourceId"/> is a client id: a gateway does
/// not check the sender a client writes into its messages (Orleans 10's GatewayInboundConnection.OnReceivedMessage
/// overwrites the sending silo, never the sending grain), so a hand-made client could name a grain as its source and
/// pass a gate that trusts source ids. Instead every silo stamps its own calls with the token
/// (<see cref="ClusterTokenStamp"/>): grain to grain, reminders (the reminder service calls through a grain
/// reference), the hosted client behind the HTTP API and the dashboard. What is left without a token is what came
/// from outside without one. Two kinds of call never pass through a grain reference and are let through:
/// calls to system targets (Orleans' own services: membership, the directory, the manifest a client fetches when it
/// connects, grain services), which are Orleans' surface rather than ours; and grain timer ticks, which Orleans
/// delivers to the activation as a local message (never deserialized from the network, so a client cannot send one).
/// </remarks>
public sealed class GatewayTokenGate(ClusterToken token) : IIncomingGrainCallFilter
{
    /// <summary>The interface of Orleans' grain timer ticks (internal to Orleans.Runtime, so known by name).</summary>
    private const string TimerTickInterface = "Orleans.Runtime.IGrainTimerInvoker";

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.TargetId.IsSystemTarget() || IsTimerTick(context))
            return context.Invoke();
        var presented = RequestContext.Get(ClusterToken.Key) as string;
        if (token.Matches(presented))
            return context.Invoke();
        throw new ClusterTokenException(presented is null
            ? "the cluster needs a token and the call carried none"
            : "the cluster refused the call's token");
    }

    /// <summary>Every request a client can send is a generated invokable (a RequestBase); a timer tick is not one.</summary>
    private static bool IsTimerTick(IIncomingGrainCallContext context) =>
        context.Request is not Orleans.Runtime.RequestBase
        && context.InterfaceMethod?.DeclaringType?.FullName == TimerTickInterface;
}
