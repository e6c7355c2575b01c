using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Embedded;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;

namespace FleetOrchestrator.Mqtt.Tests.Embedded;

/// <summary>
/// PROTOCOL.md §2, "Sessions and broker restarts": a session (subscription, queued commands) survives the device's
/// disconnects while the broker runs, not a restart of the embedded broker (MQTTnet keeps sessions in memory only).
/// After the restart the device sees Session Present = 0, subscribes again as after every CONNACK, and commands reach
/// it; what was queued before the restart is gone.
/// </summary>
public sealed class BrokerRestartSessionTests
{
    [Theory]
    [InlineData(CommandDeliveryPath.DirectEnqueue)]
    [InlineData(CommandDeliveryPath.BrokerRouting)]
    public async Task After_a_broker_restart_the_device_sees_no_session_resubscribes_and_receives_commands(
        CommandDeliveryPath delivery)
    {
        Assert.Contains("Session Present = 0 after a reconnect means they are gone", ProtocolDocument.Prose);
        var credentials = new HashedCredentialStore(
            EmbeddedBrokerHarness.ServiceUser, EmbeddedBrokerHarness.ServiceSecret);
        var secret = DeviceSecrets.Generate();
        credentials.AddDevice("dev-r", secret);
        var options = new EmbeddedBrokerOptions
        {
            Port = 0, ServiceUserName = EmbeddedBrokerHarness.ServiceUser, CommandDelivery = delivery,
        };
        var first = new EmbeddedMqttBroker(options, credentials, new RecordingTrafficHandler());
        await first.StartAsync();
        int port = first.Port;
        var inbox = new CommandInbox();
        await using var device = new DeviceMqttConnection(
            new DeviceConnectionOptions("127.0.0.1", port, "dev-r", secret), inbox.OnCommand, inbox.OnMalformed);

        Assert.False((await device.ConnectAsync()).IsSessionPresent);
        // While the broker runs, the session outlives a drop and keeps what was queued for the absent device.
        await device.AbortAsync();
        await first.CommandSender.SendAsync("dev-r", new GetState("queued-while-offline"));
        Assert.True((await device.ConnectAsync()).IsSessionPresent);
        await inbox.WaitFor("queued-while-offline");

        await device.AbortAsync();
        await first.CommandSender.SendAsync("dev-r", new GetState("queued-before-restart"));
        await first.DisposeAsync();
        await using var second = new EmbeddedMqttBroker(
            options with { Port = port }, credentials, new RecordingTrafficHandler());
        await second.StartAsync();

        var outcome = await device.ConnectAsync();
        Assert.True(outcome.IsConnected, outcome.ResultCode);
        Assert.False(outcome.IsSessionPresent);
        await second.CommandSender.SendAsync("dev-r", new GetState("after-restart"));
        await inbox.WaitFor("after-restart");
        Assert.DoesNotContain(inbox.Commands, c => c.Id == "queued-before-restart");
    }
}
