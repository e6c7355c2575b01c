using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Tls;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Mqtt.Tests.Embedded;

/// <summary>
/// The embedded broker's TLS listener: beside the plain one when asked, the port devices are told, and a socket that
/// does not finish its handshake (or speaks plain MQTT to it) is closed without a CONNACK.
/// </summary>
public sealed class EmbeddedBrokerTlsTests
{
    private static X509Certificate2 Certificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var made = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    [Fact]
    public async Task With_both_listeners_a_device_connects_on_each_and_the_tls_port_is_the_one_devices_are_told()
    {
        using var certificate = Certificate();
        await using var harness = await EmbeddedBrokerHarness.StartAsync(
            new EmbeddedBrokerOptions { ServerCertificate = certificate, TlsPort = 0 }, "tls-a", "plain-b");
        var broker = harness.Broker;
        Assert.NotNull(broker.PlainPort);
        Assert.NotNull(broker.TlsPort);
        Assert.NotEqual(broker.PlainPort, broker.TlsPort);
        Assert.Equal(broker.TlsPort, broker.Port);

        var pin = ServerTrust.FromFingerprint(CertificateFingerprint.Of(certificate.RawData).ToString());
        await using var overTls = new DeviceMqttConnection(new DeviceConnectionOptions("127.0.0.1",
            broker.TlsPort!.Value, "tls-a", harness.SecretOf("tls-a")) { Tls = pin }, _ => Task.CompletedTask);
        Assert.True((await overTls.ConnectAsync()).IsConnected);
        await using var plain = new DeviceMqttConnection(new DeviceConnectionOptions("127.0.0.1",
            broker.PlainPort!.Value, "plain-b", harness.SecretOf("plain-b")), _ => Task.CompletedTask);
        Assert.True((await plain.ConnectAsync()).IsConnected);
    }

    [Fact]
    public async Task Without_the_plain_listener_only_tls_is_served_and_a_stalled_or_plain_client_is_closed()
    {
        using var certificate = Certificate();
        await using var harness = await EmbeddedBrokerHarness.StartAsync(new EmbeddedBrokerOptions
        {
            ServerCertificate = certificate, TlsPort = 0, PlainListener = false,
            TlsHandshakeTimeout = TimeSpan.FromMilliseconds(500),
        }, "tls-c");
        Assert.Null(harness.Broker.PlainPort);

        // Says nothing: closed when the handshake deadline passes.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(IPAddress.Loopback, harness.Broker.Port);
        Assert.True(await ReadUntilClosedAsync(silent, TimeSpan.FromSeconds(10)), "a silent socket was kept open");

        // A plain MQTT 5 CONNECT on the TLS port is not a ClientHello: closed, no CONNACK.
        using var plain = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await plain.ConnectAsync(IPAddress.Loopback, harness.Broker.Port);
        await plain.SendAsync(new byte[] { 0x10, 0x0D, 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 5, 2, 0, 60, 0,
            0, 0 });
        Assert.True(await ReadUntilClosedAsync(plain, TimeSpan.FromSeconds(10)),
            "plain MQTT on the TLS port was served");
    }

    // True when the peer closed (or reset) within the deadline; bytes read before that (a TLS alert) are skipped,
    // but a CONNACK (0x20) fails the test.
    private static async Task<bool> ReadUntilClosedAsync(Socket socket, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        var buffer = new byte[1024];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0) return true;
                Assert.NotEqual(0x20, buffer[0]);
            }
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
