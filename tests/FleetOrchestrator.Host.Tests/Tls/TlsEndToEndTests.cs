using System.Net;
using System.Security.Authentication;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.Simulation.Attached;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Host.Tests.Tls;

/// <summary>
/// An orchestrator with TLS on both sides (https only, MQTT over TLS only): clients that trust its certificate get
/// in, clients that trust another certificate fail the handshake, and a simulated device updates over TLS end to end
/// (MQTT over TLS for the saga, https for the image download).
/// </summary>
public sealed class TlsEndToEndTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Https_serves_a_client_trusting_its_certificate_and_fails_the_handshake_of_one_trusting_another()
    {
        var (fleet, certificate) = await TlsOrchestrator.StartAsync();
        await using var _ = fleet;
        Assert.Equal("https", fleet.Host.HttpAddress.Scheme);

        Assert.Equal(HttpStatusCode.OK, (await fleet.Operator.GetJsonAsync("/api/devices")).Status);
        using (var pinned = new HttpClient(ServerTrust.FromFingerprint(certificate.Fingerprint.ToString())
                   .CreateHttpHandler()) { BaseAddress = fleet.Host.HttpAddress })
            Assert.Equal(HttpStatusCode.OK, (await pinned.GetAsync("/healthz")).StatusCode);

        using var impostor = new HttpClient(TlsOrchestrator.ImpostorTrust().CreateHttpHandler())
        {
            BaseAddress = fleet.Host.HttpAddress,
        };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => impostor.GetAsync("/healthz"));
        Assert.IsType<AuthenticationException>(refused.InnerException);
        using var system = new HttpClient { BaseAddress = fleet.Host.HttpAddress };
        await Assert.ThrowsAsync<HttpRequestException>(() => system.GetAsync("/healthz"));
    }

    [Fact]
    public async Task Mqtt_over_tls_refuses_a_device_trusting_another_certificate_and_updates_one_trusting_the_right()
    {
        var (fleet, certificate) = await TlsOrchestrator.StartAsync();
        await using var _ = fleet;
        var trust = ServerTrust.FromCaFile(certificate.CertificatePath);
        Assert.Null(fleet.Host.BrokerPlainPort);

        var registered = await fleet.Operator.RegisterAsync("tls-impostor-1");
        Assert.Equal(HttpStatusCode.Created, registered.Status);
        Assert.True(registered.Body.GetProperty("mqttTls").GetBoolean());
        Assert.Equal(fleet.Host.BrokerEndpoint.Port, registered.Body.GetProperty("mqttPort").GetInt32());
        var (host, port) = fleet.Host.BrokerEndpoint;
        await using (var fooled = new DeviceMqttConnection(
                         new DeviceConnectionOptions(host, port, "tls-impostor-1",
                             registered.Body.GetProperty("secret").GetString()!)
                         {
                             Tls = TlsOrchestrator.ImpostorTrust(), Timeout = TimeSpan.FromSeconds(10),
                         }, _ => Task.CompletedTask))
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => fooled.ConnectAsync());
            Assert.Contains(Causes(refused), e => e is AuthenticationException);
            Assert.False(fooled.IsConnected);
        }

        await using var devices = await SimulatedFleet.StartAsync(fleet,
            new Dictionary<string, Dictionary<string, string>> { ["tls-dev-1"] = [] }, Deadline, trust);
        var upload = await fleet.Operator.UploadAsync(SyntheticImage.Create(new SemanticVersion(1, 1, 0)), "1.1.0");
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        var artifactId = upload.Body.GetProperty("artifact").GetProperty("id").GetString()!;
        var order = await fleet.Operator.PostJsonAsync("/api/updates",
            new { artifactId, deviceIds = new[] { "tls-dev-1" } });
        Assert.Equal(1, order.Body.GetProperty("accepted").GetInt32());

        var done = await Poll.UntilAsync(() => fleet.Operator.GetJsonAsync("/api/devices/tls-dev-1"),
            a => a.Status == HttpStatusCode.OK && a.Body.GetProperty("summary").TryGetProperty("lastOutcome", out var o)
                 && o.ValueKind == System.Text.Json.JsonValueKind.String, Deadline, "the update over TLS concluding");
        Assert.Equal("updated", done.Body.GetProperty("summary").GetProperty("lastOutcome").GetString());
        Assert.Equal(new SemanticVersion(1, 1, 0), devices.Devices[0].Truth().RunningVersion);
    }

    [Fact]
    public async Task An_attached_fleet_follows_the_registrations_mqtt_tls_and_comes_online_over_tls()
    {
        var (fleet, certificate) = await TlsOrchestrator.StartAsync();
        await using var _ = fleet;
        var publicKey = ManifestVerificationKey.FromPem(await File.ReadAllTextAsync(fleet.PublicKeyPath));

        await using var attached = await AttachedFleet.StartAsync(new AttachedFleetOptions
        {
            Ids = new DeviceIdRange("tls-att-", 1, 2), PublicKey = publicKey,
            Tls = ServerTrust.FromFingerprint(certificate.Fingerprint.ToString()),
        }, async (id, tags, ct) =>
        {
            var registered = await fleet.Operator.PostJsonAsync("/api/devices", new { deviceId = id, tags });
            Assert.Equal(HttpStatusCode.Created, registered.Status);
            return new AttachedDeviceCredentials(registered.Body.GetProperty("secret").GetString()!,
                registered.Body.GetProperty("mqttHost").GetString()!,
                registered.Body.GetProperty("mqttPort").GetInt32(),
                registered.Body.GetProperty("mqttTls").GetBoolean());
        });

        Assert.All(attached.Devices, d => Assert.True(d.IsOnline, $"{d.DeviceId} is not online"));
        await Poll.UntilAsync(() => fleet.Operator.GetJsonAsync("/api/devices?version=1.0.0"),
            a => a.Status == HttpStatusCode.OK && a.Body.GetProperty("devices").EnumerateArray()
                .Count(d => d.GetProperty("online").GetBoolean()) == 2, Deadline, "both attached devices online");
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException) yield return cause;
    }
}
