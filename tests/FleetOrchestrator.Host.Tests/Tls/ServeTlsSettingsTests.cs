using FleetOrchestrator.Host.Orchestrator;
using Microsoft.Extensions.Configuration;

namespace FleetOrchestrator.Host.Tests.Tls;

/// <summary>How fleet serve's settings turn TLS on and what that changes: URLs, the broker's ports, the certificate.
/// </summary>
public sealed class ServeTlsSettingsTests
{
    [Fact]
    public void Without_tls_nothing_changes()
    {
        var options = new ServeSettings().ToOrchestratorOptions();

        Assert.Null(options.Tls);
        Assert.Equal(ServeSettings.DefaultUrls, options.Server.Urls);
        Assert.True(options.Mqtt.Embedded.PlainListener);
    }

    [Fact]
    public void Tls_makes_the_default_url_https_and_closes_the_plain_mqtt_port_unless_asked()
    {
        var options = new ServeSettings { Tls = true, PublicUrl = "https://fleet.example.net:8443" }
            .ToOrchestratorOptions();

        Assert.Equal(ServeSettings.DefaultTlsUrls, options.Server.Urls);
        Assert.False(options.Mqtt.Embedded.PlainListener);
        Assert.Equal(8883, options.Mqtt.Embedded.TlsPort);
        Assert.Null(options.Tls!.CertificatePath);
        Assert.Contains("fleet.example.net", options.Tls.SelfSignedHosts);

        var both = new ServeSettings { Tls = true, MqttPlain = true, MqttTlsPort = 18883 }.ToOrchestratorOptions();
        Assert.True(both.Mqtt.Embedded.PlainListener);
        Assert.Equal(18883, both.Mqtt.Embedded.TlsPort);
    }

    [Fact]
    public void An_https_url_or_a_certificate_asks_for_tls_and_a_certificate_needs_its_key()
    {
        var https = new ServeSettings { Urls = "https://0.0.0.0:9443" }.ToOrchestratorOptions();
        Assert.NotNull(https.Tls);
        Assert.Equal("https://0.0.0.0:9443", https.Server.Urls);
        Assert.DoesNotContain("0.0.0.0", https.Tls!.SelfSignedHosts);

        var given = new ServeSettings { TlsCertificate = "/etc/fleet/cert.pem", TlsKey = "/etc/fleet/key.pem" }
            .ToOrchestratorOptions();
        Assert.Equal("/etc/fleet/cert.pem", given.Tls!.CertificatePath);
        Assert.Equal("/etc/fleet/key.pem", given.Tls.KeyPath);

        var half = Assert.Throws<FormatException>(() =>
            new ServeSettings { TlsCertificate = "/etc/fleet/cert.pem" }.ToOrchestratorOptions());
        Assert.Contains("--tls-key", half.Message);
        Assert.Throws<FormatException>(() =>
            new ServeSettings { Tls = true, MqttTlsPort = 70000 }.ToOrchestratorOptions());
    }

    [Fact]
    public void The_tls_settings_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Fleet:Serve:Tls"] = "true",
                ["Fleet:Serve:TlsCertificate"] = "/c.pem",
                ["Fleet:Serve:TlsKey"] = "/k.pem",
                ["Fleet:Serve:MqttTlsPort"] = "9883",
                ["Fleet:Serve:MqttPlain"] = "true",
            }).Build();

        var settings = ServeSettings.FromConfiguration(configuration);

        Assert.Equal((true, "/c.pem", "/k.pem", 9883, (bool?)true),
            (settings.Tls, settings.TlsCertificate, settings.TlsKey, settings.MqttTlsPort, settings.MqttPlain));
    }
}
