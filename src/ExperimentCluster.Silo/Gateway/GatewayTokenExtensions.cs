using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace ExperimentCluster.Silo.Gateway;

/// <summary>The cluster token on grain calls: the silo's gate and stamp, and the client's stamp.</summary>
public static class GatewayTokenExtensions
{
    /// <summary>
    /// With a token, the silo refuses every grain call that does not carry it and stamps its own calls with it. Without
    /// one, the gateway must listen on loopback only (as `excl run`'s embedded silo does), or the silo does not start.
    /// </summary>
    public static ISiloBuilder AddGatewayToken(this ISiloBuilder silo, SiloSettings settings, string? token)
    {
        RequireTokenBeyondLoopback(settings, token);
        if (string.IsNullOrEmpty(token))
            return silo;
        var clusterToken = new ClusterToken(token);
        silo.Services.AddSingleton(clusterToken);
        silo.AddIncomingGrainCallFilter<GatewayTokenGate>();
        silo.AddOutgoingGrainCallFilter<ClusterTokenStamp>();
        return silo;
    }

    /// <summary>A client (excl) puts the cluster's token on every grain call it makes.</summary>
    public static IClientBuilder AddClusterToken(this IClientBuilder client, string token)
    {
        client.Services.AddSingleton(new ClusterToken(token));
        client.AddOutgoingGrainCallFilter<ClusterTokenStamp>();
        return client;
    }

    /// <summary>Refuses, naming the settings, a gateway that anyone beyond this machine can reach without a token.</summary>
    public static void RequireTokenBeyondLoopback(SiloSettings settings, string? token)
    {
        if (!string.IsNullOrEmpty(token) || !GatewayBeyondLoopback(settings))
            return;
        var where = settings.ListenOnAnyAddress ? "every interface (Cluster:ListenOnAnyAddress)" : $"{settings.ResolveAdvertisedAddress()} (Cluster:AdvertisedAddress)";
        throw new ArgumentException(
            $"Http:Token: the gateway would listen on {where} without a token, so anyone who reaches port {settings.GatewayPort} could submit, cancel and read sweeps; set Http:Token (env Http__Token) or listen on loopback only");
    }

    /// <summary>Embedded mode always listens on loopback (localhost clustering); cluster mode where it is told to.</summary>
    private static bool GatewayBeyondLoopback(SiloSettings settings) =>
        settings.IsCluster && (settings.ListenOnAnyAddress || !IPAddress.IsLoopback(settings.ResolveAdvertisedAddress()));
}
