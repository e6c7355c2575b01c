using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Topics;
using FleetOrchestrator.Simulation.Links.InProcessMqtt;
using MQTTnet;

namespace FleetOrchestrator.Simulation.Tests.Links.InProcessMqtt;

/// <summary>A device in the broker's process, connected through <c>EmbeddedMqttBroker.InProcessClients</c>.</summary>
public sealed class InProcessDeviceTests
{
    [Fact]
    public async Task A_device_connected_in_process_receives_commands_and_its_events_reach_the_traffic_handler()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        var inbox = new CommandInbox();
        var device = await harness.ConnectedDevice("dev-a", inbox, inProcess: true);

        await harness.Broker.CommandSender.SendAsync("dev-a", new GetState("cmd-1"));
        await device.PublishEventAsync(SampleMessages.Booted(7));

        Assert.IsType<GetState>(await inbox.WaitFor("cmd-1"));
        await harness.Traffic.WaitFor<EventTraffic>(e => e.DeviceId == "dev-a" && e.Event.Sequence == 7);
        await harness.Traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "dev-a" && p.Presence.Online);
        var session = Assert.Single(await harness.Broker.Server.GetClientsAsync());
        Assert.Equal("dev-a", session.Id);
        Assert.Equal("inprocess:dev-a", session.RemoteEndPoint.ToString());
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_in_process_as_over_tcp_and_the_refusal_names_the_link()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        var device = harness.InProcessDevice("dev-a", new CommandInbox(), secret: "not-the-secret");

        var outcome = await device.ConnectAsync();

        Assert.False(outcome.IsConnected);
        Assert.Equal(nameof(MqttClientConnectResultCode.BadUserNameOrPassword), outcome.ResultCode);
        var rejected = await harness.Traffic.WaitFor<RejectedTraffic>(r => r.ClientId == "dev-a");
        Assert.Contains("from inprocess:dev-a: wrong secret for 'dev-a'", rejected.Reason);
        Assert.Empty(await harness.Broker.Server.GetClientsAsync());
    }

    [Fact]
    public async Task A_device_in_process_may_not_publish_on_nor_subscribe_to_another_devices_topics()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a", "dev-b");
        var attacker = await harness.ConnectedDevice("dev-a", new CommandInbox(), inProcess: true);

        var forged = await attacker.PublishRawAsync(DeviceTopics.Events("dev-b"), ProtocolCodec.Encode(SampleMessages.Booted()));
        var eavesdrop = await attacker.SubscribeRawAsync(DeviceTopics.Commands("dev-b"));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged.ReasonCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, eavesdrop);
        await harness.Traffic.WaitFor<RejectedTraffic>(r => r.Topic == DeviceTopics.Events("dev-b") && r.ClientId == "dev-a");
        await harness.Traffic.WaitFor<RejectedTraffic>(r => r.Topic == DeviceTopics.Commands("dev-b") && r.ClientId == "dev-a");
        Assert.DoesNotContain(harness.Traffic.Seen, t => t is EventTraffic { DeviceId: "dev-b" });
    }

    [Fact]
    public async Task Aborting_an_in_process_device_makes_the_broker_fire_and_retain_its_offline_will()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        var device = await harness.ConnectedDevice("dev-a", new CommandInbox(), inProcess: true);
        await harness.Traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "dev-a" && p.Presence.Online);

        await device.AbortAsync();

        await harness.Traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "dev-a" && !p.Presence.Online);
        var retained = await harness.Broker.Server.GetRetainedMessageAsync(DeviceTopics.Status("dev-a"));
        Assert.NotNull(retained);
        Assert.Equal(new DevicePresence(false), ProtocolCodec.DecodePresence(retained.Payload).Value);
    }

    [Fact]
    public async Task A_polite_disconnect_in_process_does_not_fire_the_will_and_the_device_can_reconnect_to_its_session()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        var inbox = new CommandInbox();
        var device = await harness.ConnectedDevice("dev-a", inbox, inProcess: true);

        await device.DisconnectAsync();
        await harness.Traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "dev-a" && !p.Presence.Online);
        await harness.Broker.CommandSender.SendAsync("dev-a", new GetState("while-away"));
        var again = await device.ConnectAsync();

        Assert.True(again.IsConnected);
        Assert.True(again.IsSessionPresent);
        await inbox.WaitFor("while-away");
        // One offline presence (the polite one): the will was not published on top of it.
        Assert.Single(harness.Traffic.Seen, t => t is PresenceTraffic { DeviceId: "dev-a", Presence.Online: false });
    }

    [Fact]
    public async Task Stopping_the_broker_ends_an_in_process_devices_connection()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        var device = await harness.ConnectedDevice("dev-a", new CommandInbox(), inProcess: true);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        device.ConnectionLost += () => lost.TrySetResult();

        await harness.Broker.StopAsync();

        await lost.Task.WaitAsync(Deadline.Default);
        Assert.False(device.IsConnected);
    }

    [Fact]
    public async Task An_in_process_connect_to_a_broker_that_is_not_running_is_refused_with_a_clear_error()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        await harness.Broker.StopAsync();
        var device = harness.InProcessDevice("dev-a", new CommandInbox());

        var error = await Assert.ThrowsAnyAsync<Exception>(() => device.ConnectAsync());

        Assert.Contains("in-process MQTT connection from inprocess:dev-a refused: the embedded broker is not running", error.ToString());
    }

    [Fact]
    public async Task Tcp_and_in_process_devices_work_on_the_same_broker_at_the_same_time()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-tcp", "dev-mem");
        var tcpInbox = new CommandInbox();
        var memInbox = new CommandInbox();
        var overTcp = await harness.ConnectedDevice("dev-tcp", tcpInbox);
        var inMemory = await harness.ConnectedDevice("dev-mem", memInbox, inProcess: true);

        await harness.Broker.CommandSender.SendAsync("dev-tcp", new GetState("to-tcp"));
        await harness.Broker.CommandSender.SendAsync("dev-mem", new GetState("to-mem"));
        await overTcp.PublishEventAsync(SampleMessages.Booted(1));
        await inMemory.PublishEventAsync(SampleMessages.Booted(2));

        await tcpInbox.WaitFor("to-tcp");
        await memInbox.WaitFor("to-mem");
        await harness.Traffic.WaitFor<EventTraffic>(e => e.DeviceId == "dev-tcp" && e.Event.Sequence == 1);
        await harness.Traffic.WaitFor<EventTraffic>(e => e.DeviceId == "dev-mem" && e.Event.Sequence == 2);
        var endpoints = (await harness.Broker.Server.GetClientsAsync()).ToDictionary(c => c.Id, c => c.RemoteEndPoint.ToString());
        Assert.StartsWith("127.0.0.1:", endpoints["dev-tcp"]);
        Assert.Equal("inprocess:dev-mem", endpoints["dev-mem"]);
        Assert.DoesNotContain(tcpInbox.Commands, c => c.Id == "to-mem");
        Assert.DoesNotContain(memInbox.Commands, c => c.Id == "to-tcp");
    }

    [Fact]
    public async Task A_plain_mqttnet_client_connects_in_process_through_the_connector()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null);
        using var service = new MqttClientFactory().CreateMqttClient(harness.InProcessClients);

        var connect = await service.ConnectAsync(new MqttClientOptionsBuilder()
            .WithEndPoint(new InProcessEndPoint("tap"))
            .WithClientId(EmbeddedBrokerHarness.ServiceUser + ":tap")
            .WithCredentials(EmbeddedBrokerHarness.ServiceUser, EmbeddedBrokerHarness.ServiceSecret)
            .Build());

        Assert.Equal(MqttClientConnectResultCode.Success, connect.ResultCode);
        await service.PingAsync();
        Assert.Equal("inprocess:fleet-orchestrator:tap", Assert.Single(await harness.Broker.Server.GetClientsAsync()).RemoteEndPoint.ToString());
    }
}
