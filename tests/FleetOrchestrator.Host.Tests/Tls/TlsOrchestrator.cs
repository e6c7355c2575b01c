using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.Host.Tls;
using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Host.Tests.Tls;

/// <summary>
/// A <see cref="TestOrchestrator"/> with TLS as <c>fleet serve --tls</c> runs it: https only, MQTT over TLS only, on
/// the data directory's self-signed certificate (made before the start, so the test's clients can trust its file).
/// </summary>
internal static class TlsOrchestrator
{
    public static async Task<(TestOrchestrator Fleet, ServerCertificate Certificate)> StartAsync()
    {
        var directory = TestOrchestrator.NewDataDirectory();
        var certificate = SelfSignedCertificate.LoadOrCreate(directory, []);
        var trust = ServerTrust.FromCaFile(certificate.CertificatePath);
        var fleet = await TestOrchestrator.StartAsync(directory, options => options with
        {
            Tls = new ServerTlsOptions(),
            Server = options.Server with { Urls = "https://127.0.0.1:0" },
            Mqtt = options.Mqtt with
            {
                Embedded = options.Mqtt.Embedded with { PlainListener = false, TlsPort = 0 },
            },
        }, trust);
        return (fleet, certificate);
    }

    /// <summary>Another self-signed certificate for the same names: what an impostor would present.</summary>
    public static ServerTrust ImpostorTrust()
    {
        var directory = Directory.CreateTempSubdirectory("fleet-tls-impostor-").FullName;
        try
        {
            return ServerTrust.FromCaFile(SelfSignedCertificate.LoadOrCreate(directory, []).CertificatePath);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
