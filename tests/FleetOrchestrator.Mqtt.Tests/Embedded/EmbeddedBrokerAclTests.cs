using System.Text;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Topics;
using MQTTnet;

namespace FleetOrchestrator.Mqtt.Tests.Embedded;

public sealed class EmbeddedBrokerAclTests
{
    [Fact]
    public async Task A_device_publishing_on_another_devices_topic_is_refused_and_nothing_reaches_the_orchestrator()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a", "dev-b");
        var attacker = await harness.ConnectedDevice("dev-a", new CommandInbox());

        var forged = await attacker.PublishRawAsync(DeviceTopics.Events("dev-b"), ProtocolCodec.Encode(SampleMessages.Booted()));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged.ReasonCode);
        var rejected = await harness.Traffic.WaitFor<RejectedTraffic>(r => r.Topic == DeviceTopics.Events("dev-b"));
        Assert.Equal("dev-a", rejected.ClientId);
        Assert.Contains("device 'dev-b'", rejected.Reason);
        Assert.DoesNotContain(harness.Traffic.Seen, t => t is EventTraffic { DeviceId: "dev-b" });
    }

    [Fact]
    public async Task A_last_will_aimed_at_another_devices_status_is_refused_when_it_fires()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a", "dev-b");
        var client = new MqttClientFactory().CreateMqttClient();
        var connect = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", harness.Broker.Port).WithClientId("dev-a").WithCredentials("dev-a", harness.SecretOf("dev-a"))
            .WithWillTopic(DeviceTopics.Status("dev-b")).WithWillPayload(ProtocolCodec.Encode(new Protocol.Messages.DevicePresence(false))).WithWillRetain(true)
            .Build());
        Assert.Equal(MqttClientConnectResultCode.Success, connect.ResultCode);

        client.Dispose();   // no DISCONNECT: the broker fires the will

        var rejected = await harness.Traffic.WaitFor<RejectedTraffic>(r => r.Topic == DeviceTopics.Status("dev-b"));
        Assert.Equal("dev-a", rejected.ClientId);
        Assert.DoesNotContain(harness.Traffic.Seen, t => t is PresenceTraffic { DeviceId: "dev-b" });
        Assert.Null(await harness.Broker.Server.GetRetainedMessageAsync(DeviceTopics.Status("dev-b")));
    }

    [Theory]
    [InlineData("fleet/v1/devices/dev-a/cmd")]           // its own command topic: devices only read it
    [InlineData("fleet/v1/devices/dev-a/telemetry")]     // not a v1 leaf
    [InlineData("fleet/v1/devices/dev-a/evt/extra")]     // deeper than the scheme
    [InlineData("fleet/v1/broadcast")]                   // outside the device subtree
    public async Task A_device_may_not_publish_outside_its_status_state_and_evt_topics(string topic)
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        var device = await harness.ConnectedDevice("dev-a", new CommandInbox());

        var result = await device.PublishRawAsync(topic, Encoding.UTF8.GetBytes("{}"));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        await harness.Traffic.WaitFor<RejectedTraffic>(r => r.Topic == topic && r.ClientId == "dev-a");
    }

    [Theory]
    [InlineData("fleet/v1/devices/dev-b/cmd")]
    [InlineData("fleet/v1/devices/+/cmd")]
    [InlineData("fleet/v1/devices/dev-a/#")]
    [InlineData("fleet/v1/devices/dev-b/evt")]
    [InlineData("#")]
    public async Task A_device_may_subscribe_to_nothing_but_its_own_command_topic(string filter)
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a", "dev-b");
        var device = await harness.ConnectedDevice("dev-a", new CommandInbox());

        var code = await device.SubscribeRawAsync(filter);

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, code);
        var rejected = await harness.Traffic.WaitFor<RejectedTraffic>(r => r.Topic == filter);
        Assert.Contains("may subscribe only to 'fleet/v1/devices/dev-a/cmd'", rejected.Reason);
    }

    [Fact]
    public async Task The_service_identity_may_watch_all_device_traffic_when_fan_out_is_on_but_not_outside_fleet_v1()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(new EmbeddedBrokerOptions { FanOutDeviceTraffic = true }, "dev-a");
        using var service = new MqttClientFactory().CreateMqttClient();
        var received = new TaskCompletionSource<MqttApplicationMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        service.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        var connect = await service.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", harness.Broker.Port)
            .WithClientId(EmbeddedBrokerHarness.ServiceUser + ":tap").WithCredentials(EmbeddedBrokerHarness.ServiceUser, EmbeddedBrokerHarness.ServiceSecret).Build());
        Assert.Equal(MqttClientConnectResultCode.Success, connect.ResultCode);

        var everything = await service.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("#").Build());
        var allEvents = await service.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(DeviceTopics.AllEvents).Build());
        var device = await harness.ConnectedDevice("dev-a", new CommandInbox());
        await device.PublishEventAsync(SampleMessages.Booted(7));

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, everything.Items.Single().ResultCode);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS0, allEvents.Items.Single().ResultCode);
        var message = await received.Task.WaitAsync(Deadline.Default);
        Assert.Equal(DeviceTopics.Events("dev-a"), message.Topic);
        // The orchestrator took it in-process as well.
        await harness.Traffic.WaitFor<EventTraffic>(e => e.DeviceId == "dev-a" && e.Event.Sequence == 7);
    }
}
