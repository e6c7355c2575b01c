using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using MQTTnet;

namespace FleetOrchestrator.Mqtt.Tests.Embedded;

public sealed class EmbeddedBrokerAuthenticationTests
{
    [Fact]
    public async Task A_device_with_the_wrong_secret_is_refused_as_bad_credentials()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        var device = harness.Device("dev-a", new CommandInbox(), secret: "not-its-secret");

        var outcome = await device.ConnectAsync();

        Assert.False(outcome.IsConnected);
        Assert.Equal("BadUserNameOrPassword", outcome.ResultCode);
        var rejected = await harness.Traffic.WaitFor<RejectedTraffic>(r => r.ClientId == "dev-a");
        Assert.Contains("wrong secret", rejected.Reason);
    }

    [Fact]
    public async Task An_unknown_device_is_refused_and_the_refusal_is_reported()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        var stranger = harness.Device("dev-x", new CommandInbox(), secret: "whatever");

        var outcome = await stranger.ConnectAsync();

        Assert.False(outcome.IsConnected);
        Assert.Equal("BadUserNameOrPassword", outcome.ResultCode);
        var rejected = await harness.Traffic.WaitFor<RejectedTraffic>(r => r.ClientId == "dev-x");
        Assert.Contains("unknown user 'dev-x'", rejected.Reason);
    }

    [Fact]
    public async Task A_device_must_use_its_own_id_as_client_id()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a", "dev-b");
        using var client = new MqttClientFactory().CreateMqttClient();
        var secretOfA = harness.SecretOf("dev-a");

        // dev-a's valid credentials, but posing as client dev-b (it would take over dev-b's session).
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", harness.Broker.Port).WithClientId("dev-b").WithCredentials("dev-a", secretOfA).Build());

        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, result.ResultCode);
        var rejected = await harness.Traffic.WaitFor<RejectedTraffic>(r => r.ClientId == "dev-b");
        Assert.Contains("must equal its user name", rejected.Reason);
    }

    [Fact]
    public async Task A_device_with_its_secret_connects()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        var device = harness.Device("dev-a", new CommandInbox());

        var outcome = await device.ConnectAsync();

        Assert.True(outcome.IsConnected, outcome.ResultCode);
        var online = await harness.Traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "dev-a");
        Assert.True(online.Presence.Online);
    }
}
