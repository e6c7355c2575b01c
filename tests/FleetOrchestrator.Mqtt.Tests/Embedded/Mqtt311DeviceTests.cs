using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Topics;

namespace FleetOrchestrator.Mqtt.Tests.Embedded;

/// <summary>
/// A device whose modem speaks only MQTT 3.1.1 (PROTOCOL.md §2 tolerates it), written byte by byte, through one life
/// on the embedded broker: refused with a wrong secret, refused a foreign subscription and a foreign publish, then
/// the normal flow (presence and state reach the orchestrator's handler, a command arrives and is acknowledged), and
/// its will when the link drops.
/// </summary>
public sealed class Mqtt311DeviceTests
{
    [Fact]
    public async Task A_311_device_is_refused_where_the_table_says_and_otherwise_works_end_to_end()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "modem-1", "modem-2");
        var secret = harness.SecretOf("modem-1");
        var offline = ProtocolCodec.Encode(new DevicePresence(false));

        await using (var wrong = await Mqtt311WireClient.OpenAsync(harness.Broker.Port))
        {
            var (_, refused) = await wrong.ConnectAsync("modem-1", "modem-1", "not-the-secret",
                willTopic: DeviceTopics.Status("modem-1"), willPayload: offline);
            Assert.Equal(RefusalTable.For("unknown device id or wrong secret").Mqtt311.Code, refused);
        }

        await using var device = await Mqtt311WireClient.OpenAsync(harness.Broker.Port);
        var (sessionPresent, code) = await device.ConnectAsync("modem-1", "modem-1", secret,
            willTopic: DeviceTopics.Status("modem-1"), willPayload: offline);
        Assert.Equal(0, code);
        Assert.False(sessionPresent);

        Assert.Equal(0x80, await device.SubscribeAsync(1, DeviceTopics.Commands("modem-2")));
        var forged = ProtocolCodec.Encode(SampleMessages.State(1));
        Assert.NotNull(await device.PublishQos1Async(2, DeviceTopics.State("modem-2"), forged, retain: true));
        await harness.Traffic.WaitFor<RejectedTraffic>(
            r => r.ClientId == "modem-1" && r.Topic == DeviceTopics.State("modem-2"));

        // The normal flow, on the same connection: the refusals above did not end it.
        Assert.Equal(1, await device.SubscribeAsync(3, DeviceTopics.Commands("modem-1")));
        var online = ProtocolCodec.Encode(new DevicePresence(true));
        Assert.NotNull(await device.PublishQos1Async(4, DeviceTopics.Status("modem-1"), online, retain: true));
        var report = ProtocolCodec.Encode(SampleMessages.State(2));
        Assert.NotNull(await device.PublishQos1Async(5, DeviceTopics.State("modem-1"), report, retain: true));
        await harness.Traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "modem-1" && p.Presence.Online);
        var state = await harness.Traffic.WaitFor<StateTraffic>(s => s.DeviceId == "modem-1");
        Assert.Equal(SampleMessages.StateReport(), state.State);

        await harness.Broker.CommandSender.SendAsync("modem-1", new GetState("m1-check"));
        var command = await device.ReceiveAsync();
        Assert.Equal(DeviceTopics.Commands("modem-1"), command.Topic);
        Assert.Equal(1, command.Qos);
        Assert.Equal(new GetState("m1-check"), ProtocolCodec.DecodeCommand(command.Payload).Value);

        Assert.NotNull(await device.PublishQos1Async(6, DeviceTopics.Events("modem-1"),
            ProtocolCodec.Encode(new StateReported("m1-check", 3, SampleMessages.StateReport()))));
        await harness.Traffic.WaitFor<EventTraffic>(
            e => e.DeviceId == "modem-1" && e.Event is StateReported { CommandId: "m1-check" });
        Assert.DoesNotContain(harness.Traffic.Seen, t => t is StateTraffic { DeviceId: "modem-2" });

        // The modem loses its link without DISCONNECT: the 3.1.1 will marks it offline.
        await device.DisposeAsync();
        await harness.Traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "modem-1" && !p.Presence.Online);
    }
}
