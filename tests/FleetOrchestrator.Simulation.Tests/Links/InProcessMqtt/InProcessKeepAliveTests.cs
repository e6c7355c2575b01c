using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Topics;
using FleetOrchestrator.Simulation.Links.InProcessMqtt;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;

namespace FleetOrchestrator.Simulation.Tests.Links.InProcessMqtt;

public sealed class InProcessKeepAliveTests
{
    [Fact]
    public async Task A_client_that_goes_silent_on_the_link_is_dropped_by_the_brokers_keep_alive_and_its_will_fires()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        // A raw client end: it sends CONNECT (keep-alive 1 s) and then nothing, not even PINGREQ, as a hung device would.
        using var adapter = (MQTTnet.Adapter.MqttChannelAdapter)harness.InProcessClients.CreateClientAdapter(
            new MqttClientOptionsBuilder().WithEndPoint(new InProcessEndPoint("dev-a")).WithClientId("dev-a").Build(), null!, new MQTTnet.Diagnostics.Logger.MqttNetNullLogger());
        await adapter.ConnectAsync(CancellationToken.None);
        await adapter.SendPacketAsync(new MqttConnectPacket
        {
            ClientId = "dev-a",
            Username = "dev-a",
            Password = System.Text.Encoding.UTF8.GetBytes(harness.SecretOf("dev-a")),
            KeepAlivePeriod = 1,
            CleanSession = true,
            WillFlag = true,
            WillTopic = DeviceTopics.Status("dev-a"),
            WillMessage = ProtocolCodec.Encode(new DevicePresence(false)),
            WillRetain = true,
            WillQoS = MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce,
        }, CancellationToken.None);
        var connAck = Assert.IsType<MqttConnAckPacket>(await adapter.ReceivePacketAsync(CancellationToken.None).WaitAsync(Deadline.Default));
        Assert.Equal(MQTTnet.Protocol.MqttConnectReasonCode.Success, connAck.ReasonCode);
        Assert.Equal(MqttProtocolVersion.V500, adapter.PacketFormatterAdapter.ProtocolVersion);

        // MQTT: the broker closes after 1.5 keep-alive periods of silence. Then the client end reads end of stream.
        await harness.Traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "dev-a" && !p.Presence.Online);
        var next = await adapter.ReceivePacketAsync(CancellationToken.None).WaitAsync(Deadline.Default);
        Assert.True(next is null or MqttDisconnectPacket, $"expected the link to close, got {next}");
    }
}
