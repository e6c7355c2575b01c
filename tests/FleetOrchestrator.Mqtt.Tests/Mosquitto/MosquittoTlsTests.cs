using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Embedded;
using FleetOrchestrator.Mqtt.External;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Mqtt.Tests.Mosquitto;

/// <summary>
/// Mosquitto with the TLS listener of config/mosquitto/tls.conf (its paths and port filled in, on loopback), a CA
/// and server certificate made by the test: a device that trusts that CA connects over TLS, one that trusts another
/// CA fails the handshake; the same for the orchestrator's own link (`fleet serve --broker mqtts://… --broker-ca`).
/// </summary>
public sealed partial class MosquittoTlsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-mosquitto-tls-").FullName;
    private readonly int _tlsPort = FreeTcpPort.Pick(IPAddress.Loopback);

    /// <summary>A second CA with its own certificates (ca.crt here), for the clients that must fail.</summary>
    private string OtherCa => Path.Combine(_dir, "other");

    [Fact]
    public async Task The_tls_listener_from_config_serves_a_device_trusting_its_ca_and_refuses_one_trusting_another()
    {
        await using var broker = await StartTlsMosquittoAsync(
            new Dictionary<string, string> { ["tls-dev-1"] = "s1", ["tls-dev-2"] = "s2" });

        await using var trusting = new DeviceMqttConnection(new DeviceConnectionOptions("127.0.0.1", _tlsPort,
            "tls-dev-1", "s1") { Tls = ServerTrust.FromCaFile(Path.Combine(_dir, "ca.crt")) }, _ => Task.CompletedTask);
        var outcome = await trusting.ConnectAsync();
        Assert.True(outcome.IsConnected, $"{outcome.ResultCode} {outcome.Reason}\n{broker.Output}");

        await using var fooled = new DeviceMqttConnection(new DeviceConnectionOptions("127.0.0.1", _tlsPort,
            "tls-dev-2", "s2") { Tls = ServerTrust.FromCaFile(Path.Combine(OtherCa, "ca.crt")) },
            _ => Task.CompletedTask);
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => fooled.ConnectAsync());
        Assert.Contains(Causes(refused), e => e is AuthenticationException);
    }

    [Fact]
    public async Task The_orchestrator_reaches_mosquitto_over_tls_with_its_ca_and_refuses_a_broker_signed_by_another()
    {
        await using var broker = await StartTlsMosquittoAsync(
            new Dictionary<string, string> { ["tls-dev-3"] = "s3" });
        ExternalBrokerOptions Orchestrator(string ca, string suffix) => new()
        {
            Host = "127.0.0.1", Port = _tlsPort, UseTls = true, CaFile = ca,
            UserName = MosquittoBroker.ServiceUser, Password = MosquittoBroker.ServiceSecret,
            ClientId = "fleet-orchestrator-tls-" + suffix, SharedSubscriptionGroup = "tls" + suffix,
            SessionExpirySeconds = 0,
        };

        // `fleet serve --broker mqtts://… --broker-ca ca.crt`: device traffic arrives over TLS.
        var traffic = new RecordingTrafficHandler();
        await using var orchestrator =
            new ExternalBrokerTransport(Orchestrator(Path.Combine(_dir, "ca.crt"), "a"), traffic);
        await orchestrator.StartAsync();
        await using var device = new DeviceMqttConnection(new DeviceConnectionOptions("127.0.0.1", _tlsPort,
            "tls-dev-3", "s3") { Tls = ServerTrust.FromCaFile(Path.Combine(_dir, "ca.crt")) }, _ => Task.CompletedTask);
        Assert.True((await device.ConnectAsync()).IsConnected, broker.Output);
        await device.PublishEventAsync(SampleMessages.Booted(7));
        await traffic.WaitFor<EventTraffic>(e => e.DeviceId == "tls-dev-3" && e.Event.Sequence == 7);

        // A node told to trust another CA does not talk to this broker: the handshake fails, nothing is sent.
        await using var fooled = new ExternalBrokerTransport(Orchestrator(Path.Combine(OtherCa, "ca.crt"), "b"),
            new RecordingTrafficHandler());
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => fooled.StartAsync());
        Assert.Contains(Causes(refused), e => e is AuthenticationException);
        Assert.Contains("TLS handshake failed", refused.Message);
        Assert.Contains(Path.Combine(OtherCa, "ca.crt"), refused.Message);
    }

    /// <summary>
    /// Mosquitto with config/mosquitto/tls.conf's listener on <see cref="_tlsPort"/> (loopback), its certificate
    /// signed by a CA in the test folder (ca.crt); <see cref="OtherCa"/> written beside it.
    /// </summary>
    private Task<MosquittoBroker> StartTlsMosquittoAsync(Dictionary<string, string> deviceSecrets)
    {
        WriteCaAndServerCertificate(_dir, "ca.crt", "server.crt", "server.key");
        Directory.CreateDirectory(OtherCa);
        WriteCaAndServerCertificate(OtherCa, "ca.crt", "server.crt", "server.key");
        var configuration = Listener().Replace(
                File.ReadAllText(Path.Combine(RepositoryConfig(), "mosquitto", "tls.conf")),
                $"listener {_tlsPort} 127.0.0.1")
            .Replace("/etc/mosquitto/fleet/", _dir + "/", StringComparison.Ordinal);
        return MosquittoBroker.StartAsync(deviceSecrets, port: null, extraConfiguration: configuration);
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException) yield return cause;
    }

    /// <summary>A CA and a server certificate it signed for 127.0.0.1 and localhost, as PEM files.</summary>
    private static void WriteCaAndServerCertificate(string directory, string caFile, string certificateFile,
        string keyFile)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=fleet test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, false));
        using var server = request.Create(ca, now.AddDays(-1), now.AddDays(30), [1, 2, 3, 4]);

        File.WriteAllText(Path.Combine(directory, caFile), ca.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(directory, certificateFile), server.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(directory, keyFile), key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    private static string RepositoryConfig()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FleetOrchestrator.sln")))
                return Path.Combine(dir.FullName, "config");
        }
        throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^listener 8883$", RegexOptions.Multiline)]
    private static partial Regex Listener();

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
