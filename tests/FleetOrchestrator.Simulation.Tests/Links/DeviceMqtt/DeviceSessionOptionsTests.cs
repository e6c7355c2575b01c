using System.Buffers;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Topics;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace FleetOrchestrator.Simulation.Tests.Links.DeviceMqtt;

/// <summary>
/// Session options PROTOCOL.md §2 asks of a device, on the embedded broker: Retain Handling 2 on the cmd subscription
/// (no scan of every retained message per subscribe), and the will. MQTTnet 5.2's broker publishes a will at once
/// whatever its Will Delay Interval; that the delay is honoured is shown against Mosquitto (MosquittoWillDelayTests).
/// </summary>
public sealed class DeviceSessionOptionsTests
{
    [Fact]
    public async Task Without_a_will_delay_the_same_reset_shows_the_device_offline_at_once()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        await using var device = Device(harness, "dev-a", willDelaySeconds: 0);
        Assert.True((await device.ConnectAsync()).IsConnected);

        await device.AbortAsync();

        await harness.Traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "dev-a" && !p.Presence.Online);
    }

    [Fact]
    public async Task A_retained_message_left_on_a_devices_cmd_topic_is_not_replayed_when_it_subscribes()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        // Commands are never retained by the orchestrator; a stray tool might. Retain Handling 2 keeps it from replaying.
        await harness.Broker.Server.UpdateRetainedMessageAsync(new MqttApplicationMessage
        {
            Topic = DeviceTopics.Commands("dev-a"),
            Payload = new ReadOnlySequence<byte>(ProtocolCodec.Encode(new GetState("stale-retained"))),
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            Retain = true,
        });
        var inbox = new CommandInbox();
        await using var device = Device(harness, "dev-a", willDelaySeconds: 0, inbox);

        Assert.True((await device.ConnectAsync()).IsConnected);
        await harness.Broker.CommandSender.SendAsync("dev-a", new GetState("live"));

        // A retained message would be sent with the SUBACK, before anything queued after the subscribe.
        await inbox.WaitFor("live");
        Assert.DoesNotContain(inbox.Commands, c => c.Id == "stale-retained");
    }

    private static DeviceMqttConnection Device(EmbeddedBrokerHarness harness, string id, uint willDelaySeconds, CommandInbox? inbox = null)
    {
        inbox ??= new CommandInbox();
        return new DeviceMqttConnection(
            new DeviceConnectionOptions("127.0.0.1", harness.Broker.Port, id, harness.SecretOf(id)) { WillDelaySeconds = willDelaySeconds },
            inbox.OnCommand, inbox.OnMalformed);
    }
}
