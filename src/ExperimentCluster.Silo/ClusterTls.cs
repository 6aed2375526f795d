using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace ExperimentCluster.Silo;

/// <summary>The one trust rule of silos and clients: a valid chain, or the cluster's own (possibly self-signed) certificate.</summary>
public static class ClusterTls
{
    public static void Configure(TlsOptions options, X509Certificate2 certificate)
    {
        options.LocalCertificate = certificate;
        // Mutual TLS: silos and clients both show a certificate, and both check the other's.
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        var thumbprint = certificate.Thumbprint;
        options.RemoteCertificateValidation = (remote, _, errors) =>
            errors == SslPolicyErrors.None || string.Equals(remote.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase);
        // Silos are dialled by IP address, which a certificate rarely names; the trust rule above decides instead.
        options.OnAuthenticateAsClient = (_, ssl) => ssl.TargetHost = certificate.GetNameInfo(X509NameType.DnsName, false);
    }
}
