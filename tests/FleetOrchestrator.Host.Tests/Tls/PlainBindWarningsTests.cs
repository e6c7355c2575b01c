using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Host.Tls;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Host.Tests.Tls;

/// <summary>A plain listener other machines can reach is warned about; loopback and TLS listeners are not.</summary>
public sealed class PlainBindWarningsTests
{
    private static OrchestratorOptions Options(string urls, string mqttBind, bool plainMqtt = true) => new()
    {
        Server = new FleetServerOptions { Urls = urls },
        Mqtt = new MqttTransportOptions
        {
            Embedded = new EmbeddedBrokerOptions { BindAddress = mqttBind, PlainListener = plainMqtt },
        },
    };

    [Theory]
    [InlineData("http://127.0.0.1:8080", "127.0.0.1")]
    [InlineData("http://localhost:8080;http://[::1]:8080", "::1")]
    [InlineData("https://0.0.0.0:8443", "127.0.0.1")]
    public void Loopback_or_tls_listeners_get_no_warning(string urls, string mqttBind) =>
        Assert.Empty(PlainBindWarnings.For(Options(urls, mqttBind)));

    [Fact]
    public void Plain_http_and_plain_mqtt_on_other_interfaces_are_each_warned_about()
    {
        var warnings = PlainBindWarnings.For(Options("http://0.0.0.0:8080;https://0.0.0.0:8443", "0.0.0.0"));

        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("HTTP on http://0.0.0.0:8080 is not loopback and not TLS", warnings[0]);
        Assert.StartsWith("MQTT on 0.0.0.0:1883 is not loopback and not TLS", warnings[1]);
        // The TLS port alone (plain MQTT off) is no warning.
        Assert.Empty(PlainBindWarnings.For(Options("https://[::]:8443", "0.0.0.0", plainMqtt: false)));
    }

    [Fact]
    public async Task The_host_logs_each_warning_at_start()
    {
        var recording = new RecordingLogs();
        using var logs = LoggerFactory.Create(b => b.AddProvider(recording));
        var log = new PlainBindWarningLog(Options("http://0.0.0.0:8080", "0.0.0.0"), logs);

        await log.StartAsync(CancellationToken.None);

        var warnings = recording.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message).ToList();
        Assert.Equal(PlainBindWarnings.For(Options("http://0.0.0.0:8080", "0.0.0.0")), warnings);
        Assert.Equal(2, warnings.Count);
    }
}
