using System.Security.Cryptography.X509Certificates;

namespace ExperimentCluster.Silo;

/// <summary>
/// Mutual TLS between silos and from clients (configuration section "Cluster:Tls"): off unless a certificate is given.
/// A peer is trusted when its certificate chains to a trusted root, or when it is the very certificate this silo
/// uses (one self-signed certificate shared by the cluster and its clients, the simplest private deployment).
/// </summary>
public sealed class TlsSettings
{
    /// <summary>A PKCS#12 (.pfx) file with the certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    public void Validate()
    {
        if (Enabled && !File.Exists(CertificatePath))
            throw new ArgumentException($"Cluster:Tls:CertificatePath: {CertificatePath}: no such file");
    }

    public X509Certificate2 LoadCertificate() => X509CertificateLoader.LoadPkcs12FromFile(CertificatePath!, CertificatePassword);
}
