using FleetOrchestrator.Cli.Tests.Client;
using FleetOrchestrator.Host.Orchestrator;

namespace FleetOrchestrator.Cli.Tests.Docker;

/// <summary>
/// `fleet serve --public-mqtt`: in docker/compose.yaml the nodes reach Mosquitto at mosquitto:1883 (plain, inside the
/// compose network) while devices reach it through the front at fleet:8883 with TLS; registrations must tell devices
/// the latter.
/// </summary>
public sealed class PublicMqttTests
{
    [Fact]
    public void Public_mqtt_gives_the_host_port_and_tls_devices_are_told_and_bad_values_are_refused()
    {
        var settings = new ServeSettings
        {
            Broker = "mqtt://fleet-orchestrator:pw@mosquitto:1883",
            PublicUrl = "https://fleet:8443",
            PublicMqtt = "mqtts://devices.example:8883",
        };
        var options = settings.ToOrchestratorOptions();
        Assert.Equal(("devices.example", 8883, true),
            (options.PublicMqttHost, options.PublicMqttPort, options.PublicMqttTls));
        var plain = (settings with { PublicMqtt = "mqtt://fleet:1884" }).ToOrchestratorOptions();
        Assert.Equal(("fleet", 1884, false), (plain.PublicMqttHost, plain.PublicMqttPort, plain.PublicMqttTls));
        // Without it: the public URL's host and the broker's own port and TLS, as before.
        var unset = (settings with { PublicMqtt = null }).ToOrchestratorOptions();
        Assert.Equal(("fleet", null, null), (unset.PublicMqttHost, unset.PublicMqttPort, unset.PublicMqttTls));

        foreach (var bad in new[] { "fleet:8883", "https://fleet:8883", "mqtts://fleet", "mqtts://u:p@fleet:8883" })
        {
            var error = Assert.Throws<FormatException>(() =>
                (settings with { PublicMqtt = bad }).ToOrchestratorOptions());
            Assert.Contains("--public-mqtt", error.Message);
        }
    }

    [Fact]
    public async Task A_registration_answers_the_public_mqtt_port_and_tls()
    {
        await using var server = await ClientTestServer.StartAsync(adjust: o => o with
        {
            PublicMqttHost = "fleet", PublicMqttPort = 8883, PublicMqttTls = true,
        });
        var registered = await server.RunAsync("devices", "register", "pub-1", "--json");
        Assert.True(registered.ExitCode == 0, registered.ToString());
        var json = registered.Json();
        Assert.Equal("fleet", json.GetProperty("mqttHost").GetString());
        Assert.Equal(8883, json.GetProperty("mqttPort").GetInt32());
        Assert.True(json.GetProperty("mqttTls").GetBoolean());
        // The check can fail: the embedded broker of this server listens plain on another port.
        Assert.NotEqual(8883, server.Host.BrokerEndpoint.Port);
        Assert.False(server.Host.BrokerUsesTls);
    }
}
