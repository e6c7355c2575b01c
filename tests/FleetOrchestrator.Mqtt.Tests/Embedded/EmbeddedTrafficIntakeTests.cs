using System.Text;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Topics;
using MQTTnet;

namespace FleetOrchestrator.Mqtt.Tests.Embedded;

public sealed class EmbeddedTrafficIntakeTests
{
    [Fact]
    public async Task Device_events_reach_the_traffic_handler_decoded()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        var device = await harness.ConnectedDevice("dev-a", new CommandInbox());

        await device.PublishEventAsync(new CommandAcknowledged("cmd-1", 3, true, null));

        var got = await harness.Traffic.WaitFor<EventTraffic>(e => e.DeviceId == "dev-a");
        Assert.Equal(new CommandAcknowledged("cmd-1", 3, true, null), got.Event);
    }

    [Fact]
    public async Task A_state_report_reaches_the_handler_and_stays_retained_without_broker_fan_out()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        var device = await harness.ConnectedDevice("dev-a", new CommandInbox());

        await device.PublishStateAsync(SampleMessages.State());

        var got = await harness.Traffic.WaitFor<StateTraffic>(s => s.DeviceId == "dev-a");
        Assert.Equal(SampleMessages.StateReport().ActiveImageCrc, got.State.ActiveImageCrc);
        var retained = await harness.Broker.Server.GetRetainedMessageAsync(DeviceTopics.State("dev-a"));
        Assert.NotNull(retained);
        var decoded = ProtocolCodec.DecodeEvent(retained.Payload);
        Assert.True(decoded.IsSuccess, decoded.ToString());
        Assert.IsType<StateReported>(decoded.Value);
    }

    [Fact]
    public async Task The_last_will_marks_a_vanished_device_offline_and_is_retained()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        var device = await harness.ConnectedDevice("dev-a", new CommandInbox());
        await harness.Traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "dev-a" && p.Presence.Online);

        await device.AbortAsync();

        await harness.Traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "dev-a" && !p.Presence.Online);
        var retained = await harness.Broker.Server.GetRetainedMessageAsync(DeviceTopics.Status("dev-a"));
        Assert.NotNull(retained);
        Assert.Equal(new DevicePresence(false), ProtocolCodec.DecodePresence(retained.Payload).Value);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"schema\":1,\"type\":\"booted\"}")]
    [InlineData("")]
    public async Task A_malformed_payload_is_rejected_with_a_reason_and_refused_to_the_device(string payload)
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        var device = await harness.ConnectedDevice("dev-a", new CommandInbox());

        var result = await device.PublishRawAsync(DeviceTopics.Events("dev-a"), Encoding.UTF8.GetBytes(payload));

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, result.ReasonCode);
        var rejected = await harness.Traffic.WaitFor<RejectedTraffic>(r => r.Topic == DeviceTopics.Events("dev-a"));
        Assert.Equal("dev-a", rejected.ClientId);
        Assert.StartsWith("malformed event from 'dev-a':", rejected.Reason);
        Assert.DoesNotContain(harness.Traffic.Seen, t => t is EventTraffic);
    }

    [Fact]
    public async Task A_non_state_event_on_the_state_topic_is_rejected()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        var device = await harness.ConnectedDevice("dev-a", new CommandInbox());

        var result = await device.PublishRawAsync(DeviceTopics.State("dev-a"), ProtocolCodec.Encode(SampleMessages.Booted()), retain: true);

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, result.ReasonCode);
        var rejected = await harness.Traffic.WaitFor<RejectedTraffic>(r => r.Topic == DeviceTopics.State("dev-a"));
        Assert.Contains("only state reports", rejected.Reason);
        Assert.Null(await harness.Broker.Server.GetRetainedMessageAsync(DeviceTopics.State("dev-a")));
    }
}
