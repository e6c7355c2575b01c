using FleetOrchestrator.Mqtt.External;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Topics;

namespace FleetOrchestrator.Mqtt.Tests.Mosquitto;

/// <summary>
/// A byte-level MQTT 3.1.1 device against Mosquitto with this project's password file and ACL: what PROTOCOL.md §2
/// says Mosquitto answers where it differs from the embedded broker, and the normal flow through the orchestrator's
/// external-broker transport.
/// </summary>
public sealed class Mosquitto311Tests(MosquittoFixture mosquitto) : IClassFixture<MosquittoFixture>
{
    [Fact]
    public async Task A_311_device_on_mosquitto_is_refused_as_documented_and_otherwise_works_end_to_end()
    {
        Assert.Contains("return code `5` (not authorized) on 3.1.1", ProtocolDocument.Prose);
        var traffic = new RecordingTrafficHandler();
        await using var orchestrator = new ExternalBrokerTransport(
            mosquitto.Orchestrator("mqtt311", "g" + Guid.NewGuid().ToString("N")[..12]), traffic);
        await orchestrator.StartAsync();

        await using (var wrong = await Mqtt311WireClient.OpenAsync(mosquitto.Broker.Port))
        {
            var (_, refused) = await wrong.ConnectAsync("mdev-15", "mdev-15", "not-the-secret");
            Assert.Equal(5, refused);
        }

        await using var device = await Mqtt311WireClient.OpenAsync(mosquitto.Broker.Port);
        var (_, code) = await device.ConnectAsync("mdev-15", "mdev-15", mosquitto.Broker.DeviceSecrets["mdev-15"]);
        Assert.Equal(0, code);
        // With acl_file Mosquitto grants the subscription and then withholds delivery.
        Assert.Equal(1, await device.SubscribeAsync(1, DeviceTopics.Commands("mdev-16")));
        var forged = ProtocolCodec.Encode(SampleMessages.Booted(70));
        Assert.NotNull(await device.PublishQos1Async(2, DeviceTopics.Events("mdev-16"), forged));

        Assert.Equal(1, await device.SubscribeAsync(3, DeviceTopics.Commands("mdev-15")));
        var own = ProtocolCodec.Encode(SampleMessages.Booted(71));
        Assert.NotNull(await device.PublishQos1Async(4, DeviceTopics.Events("mdev-15"), own));
        await traffic.WaitFor<EventTraffic>(e => e.DeviceId == "mdev-15" && e.Event.Sequence == 71);
        Assert.DoesNotContain(traffic.Seen, t => t is EventTraffic { DeviceId: "mdev-16" });

        await orchestrator.SendAsync("mdev-16", new GetState("m16-not-for-15"));
        await orchestrator.SendAsync("mdev-15", new GetState("m15-check"));
        var command = await device.ReceiveAsync();
        // Mosquitto forwards one publisher's messages in order: a delivered foreign command would have come first.
        Assert.Equal(DeviceTopics.Commands("mdev-15"), command.Topic);
        Assert.Equal(new GetState("m15-check"), ProtocolCodec.DecodeCommand(command.Payload).Value);
    }
}
