using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExperimentCluster.Contracts;
using ExperimentCluster.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace ExperimentCluster.EndToEnd.Tests.Cluster;

[Collection(ClusterTestGroup.Name)]
public sealed class ClusterSecurityTests
{
    [Fact]
    public async Task With_TLS_silos_and_clients_talk_only_through_it_and_by_default_nothing_listens_beyond_loopback()
    {
        var dir = Programs.TempFolder();
        var pfx = Path.Combine(dir, "cluster.pfx");
        using (var made = SelfSigned())
            await File.WriteAllBytesAsync(pfx, made.Export(X509ContentType.Pkcs12, "pfx-secret"));
        var tls = new Dictionary<string, string>
        {
            ["Cluster__Tls__CertificatePath"] = pfx,
            ["Cluster__Tls__CertificatePassword"] = "pfx-secret",
        };
        await using var cluster = await LocalClusterWithTlsAsync(tls);

        // Nothing listens beyond loopback: silo, gateway and HTTP ports are bound to 127.0.0.1 only.
        foreach (var silo in cluster.Silos)
        {
            foreach (var port in new[] { silo.SiloPort, silo.GatewayPort, silo.Http.Port })
                Assert.Equal(["127.0.0.1"], ListeningAddresses(port));
        }

        // A client without the certificate gets nothing from the cluster.
        var plain = Host.CreateApplicationBuilder();
        plain.Logging.ClearProviders();
        plain.UseOrleansClient(c => c
            .UseStaticClustering(cluster.Silos.Select(s => new IPEndPoint(IPAddress.Loopback, s.GatewayPort)).ToArray())
            .Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (cluster.ServiceId, "test")));
        using (var plainHost = plain.Build())
        {
            var refused = await Record.ExceptionAsync(async () =>
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await plainHost.StartAsync(timeout.Token);
                await plainHost.Services.GetRequiredService<IGrainFactory>().SweepIndex().ListAsync().WaitAsync(TimeSpan.FromSeconds(5));
            });
            Assert.NotNull(refused);
        }

        // With it, a sweep spreads over both silos, which reach each other through TLS too.
        var id = "tls";
        await File.WriteAllTextAsync(Path.Combine(dir, "sweep.json"), ClusterSweeps.Twelve(epochs: 2, concurrency: 2).Replace("\"seeds\": 3", "\"seeds\": 1", StringComparison.Ordinal));
        var submit = await Programs.ExclAsync(dir, TimeSpan.FromMinutes(2), "submit", "sweep.json", "--id", id, "--gateway", cluster.GatewayList,
            "--service-id", cluster.ServiceId, "--cluster-id", "test", "--tls-cert", pfx, "--tls-password", "pfx-secret");
        Assert.True(submit.Code == 0, $"submit {submit.Code}: {submit.Out}{submit.Err}\n{cluster.Logs()}");
        var done = await cluster.WaitForSweepAsync(id, v => v.Status != SweepStatus.Running, ClusterSweeps.SweepTimeout);
        Assert.Equal(SweepStatus.Completed, done.Status);
        var runs = await cluster.RunsAsync(id, 4);
        Assert.All(cluster.Silos, s => Assert.Contains(runs, r => s.Owns(r!.Silo)));
    }

    private static async Task<LocalCluster> LocalClusterWithTlsAsync(Dictionary<string, string> tls)
    {
        var cluster = await LocalCluster.StartAsync(silos: 2, slots: 1, tls, connect: false);
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(tls["Cluster__Tls__CertificatePath"], tls["Cluster__Tls__CertificatePassword"]);
        var forClient = X509CertificateLoader.LoadPkcs12FromFile(tls["Cluster__Tls__CertificatePath"], tls["Cluster__Tls__CertificatePassword"]);
        await cluster.ConnectAsync(client => client.UseTls(forClient, o => ClusterTls.Configure(o, forClient)));
        return cluster;
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=excl-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("excl-test");
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>The local addresses listening on a TCP port, from /proc/net/tcp and tcp6 (IPv4-mapped shown as IPv4).</summary>
    private static List<string> ListeningAddresses(int port)
    {
        var found = new List<string>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1].Split(':');
                if (fields[3] != "0A" || int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) != port)
                    continue;
                var bytes = Convert.FromHexString(local[0]);
                // The kernel prints each 32-bit word in host (little-endian) order.
                for (var i = 0; i < bytes.Length; i += 4)
                    Array.Reverse(bytes, i, 4);
                var address = new System.Net.IPAddress(bytes);
                found.Add((address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString());
            }
        }
        return found.Distinct().ToList();
    }
}
