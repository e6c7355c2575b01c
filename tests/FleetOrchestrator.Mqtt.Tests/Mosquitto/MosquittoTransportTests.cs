using System.Text;
using FleetOrchestrator.Mqtt.External;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Topics;
using MQTTnet;

namespace FleetOrchestrator.Mqtt.Tests.Mosquitto;

/// <summary>The external-broker transport against a real Mosquitto with the ACL and password file from this project.</summary>
public sealed class MosquittoTransportTests(MosquittoFixture mosquitto) : IClassFixture<MosquittoFixture>
{
    private static string NewGroup() => "g" + Guid.NewGuid().ToString("N")[..12];

    private async Task<ExternalBrokerTransport> StartOrchestrator(RecordingTrafficHandler traffic, string suffix, string? group = null)
    {
        var transport = new ExternalBrokerTransport(mosquitto.Orchestrator(suffix, group ?? NewGroup()), traffic);
        await transport.StartAsync();
        return transport;
    }

    [Fact]
    public async Task A_device_with_the_wrong_password_is_refused()
    {
        await using var device = mosquitto.Device("mdev-01", new CommandInbox(), secret: "wrong");

        var outcome = await device.ConnectAsync();

        Assert.False(outcome.IsConnected);
        // Mosquitto 2.0 answers a failed password check on MQTT 5 with 0x87 Not authorized (MQTTnet: 0x86 BadUserNameOrPassword).
        Assert.Equal("NotAuthorized", outcome.ResultCode);
    }

    [Fact]
    public async Task A_device_with_the_password_from_our_generated_password_file_connects()
    {
        await using var device = mosquitto.Device("mdev-02", new CommandInbox());

        var outcome = await device.ConnectAsync();

        Assert.True(outcome.IsConnected, $"{outcome.ResultCode} {outcome.Reason}\n{mosquitto.Broker.Output}");
    }

    [Fact]
    public async Task A_publish_on_another_devices_topic_is_dropped_and_never_reaches_the_orchestrator()
    {
        var traffic = new RecordingTrafficHandler();
        await using var orchestrator = await StartOrchestrator(traffic, "acl");
        await using var attacker = mosquitto.Device("mdev-03", new CommandInbox());
        Assert.True((await attacker.ConnectAsync()).IsConnected);

        // Mosquitto answers a denied QoS 1 publish like any other and silently drops it.
        await attacker.PublishRawAsync(DeviceTopics.Events("mdev-04"), ProtocolCodec.Encode(SampleMessages.Booted(99)));
        // Then a legitimate marker from the same connection: once it has arrived, the forged one would have too.
        await attacker.PublishEventAsync(SampleMessages.Booted(100));

        await traffic.WaitFor<EventTraffic>(e => e.DeviceId == "mdev-03" && e.Event.Sequence == 100);
        Assert.DoesNotContain(traffic.Seen, t => t is EventTraffic { DeviceId: "mdev-04" });
    }

    [Fact]
    public async Task Subscribing_to_another_devices_command_topic_yields_none_of_its_commands()
    {
        var traffic = new RecordingTrafficHandler();
        await using var orchestrator = await StartOrchestrator(traffic, "sub-acl");
        var spyInbox = new CommandInbox();
        var victimInbox = new CommandInbox();
        await using var spy = mosquitto.Device("mdev-05", spyInbox);
        await using var victim = mosquitto.Device("mdev-06", victimInbox);
        Assert.True((await spy.ConnectAsync()).IsConnected);
        Assert.True((await victim.ConnectAsync()).IsConnected);

        // With acl_file Mosquitto never refuses a SUBSCRIBE (eclipse/mosquitto#2042); the ACL stops the delivery instead.
        await spy.SubscribeRawAsync(DeviceTopics.Commands("mdev-06"));
        await spy.SubscribeRawAsync("fleet/v1/devices/+/cmd");
        await orchestrator.SendAsync("mdev-06", new EraseStaged("for-victim"));
        await orchestrator.SendAsync("mdev-05", new GetState("marker-for-spy"));

        await victimInbox.WaitFor("for-victim");
        await spyInbox.WaitFor("marker-for-spy");
        Assert.DoesNotContain(spyInbox.Commands, c => c.Id == "for-victim");
        Assert.Empty(spyInbox.Malformed);
    }

    [Fact]
    public async Task A_command_published_by_the_orchestrator_reaches_the_device_only()
    {
        var traffic = new RecordingTrafficHandler();
        await using var orchestrator = await StartOrchestrator(traffic, "cmd");
        var inbox = new CommandInbox();
        var bystanderInbox = new CommandInbox();
        await using var device = mosquitto.Device("mdev-07", inbox);
        await using var bystander = mosquitto.Device("mdev-08", bystanderInbox);
        Assert.True((await device.ConnectAsync()).IsConnected);
        Assert.True((await bystander.ConnectAsync()).IsConnected);

        await orchestrator.SendAsync("mdev-07", new RollBack("rb-1", "health-check"));
        await orchestrator.SendAsync("mdev-08", new GetState("marker-8"));

        Assert.Equal(new RollBack("rb-1", "health-check"), await inbox.WaitFor("rb-1"));
        await bystanderInbox.WaitFor("marker-8");
        Assert.DoesNotContain(bystanderInbox.Commands, c => c.Id == "rb-1");
    }

    [Fact]
    public async Task Events_state_and_the_last_will_reach_the_orchestrator_through_the_shared_subscription()
    {
        var traffic = new RecordingTrafficHandler();
        await using var orchestrator = await StartOrchestrator(traffic, "intake");
        var device = mosquitto.Device("mdev-09", new CommandInbox());
        Assert.True((await device.ConnectAsync()).IsConnected);

        await device.PublishEventAsync(new ImageStaged("dl-1", 5, SampleMessages.V1, 4096, 0xCAFEF00Du));
        await device.PublishStateAsync(SampleMessages.State(6));
        await device.AbortAsync();

        var staged = await traffic.WaitFor<EventTraffic>(e => e.DeviceId == "mdev-09" && e.Event is ImageStaged);
        Assert.Equal(0xCAFEF00Du, ((ImageStaged)staged.Event).Crc);
        await traffic.WaitFor<StateTraffic>(s => s.DeviceId == "mdev-09");
        await traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "mdev-09" && !p.Presence.Online);
    }

    [Fact]
    public async Task A_malformed_payload_is_rejected_with_a_reason()
    {
        var traffic = new RecordingTrafficHandler();
        await using var orchestrator = await StartOrchestrator(traffic, "bad");
        await using var device = mosquitto.Device("mdev-10", new CommandInbox());
        Assert.True((await device.ConnectAsync()).IsConnected);

        await device.PublishRawAsync(DeviceTopics.Events("mdev-10"), Encoding.UTF8.GetBytes("[1,2,3]"));

        var rejected = await traffic.WaitFor<RejectedTraffic>(r => r.Topic == DeviceTopics.Events("mdev-10"));
        Assert.StartsWith("malformed event from 'mdev-10':", rejected.Reason);
        Assert.DoesNotContain(traffic.Seen, t => t is EventTraffic { DeviceId: "mdev-10" });
    }

    [Fact]
    public async Task Two_orchestrators_in_one_group_share_the_device_traffic_without_duplicates()
    {
        const int eventsPerDevice = 20;
        string[] devices = ["mdev-11", "mdev-12", "mdev-13", "mdev-14"];
        int expected = devices.Length * eventsPerDevice;
        int arrived = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Count(Traffic t)
        {
            if (t is EventTraffic && Interlocked.Increment(ref arrived) == expected) allArrived.TrySetResult();
        }
        var group = NewGroup();
        var first = new RecordingTrafficHandler { Recorded = Count };
        var second = new RecordingTrafficHandler { Recorded = Count };
        await using var nodeOne = await StartOrchestrator(first, "share-1", group);
        await using var nodeTwo = await StartOrchestrator(second, "share-2", group);
        var connections = new List<Simulation.Links.DeviceMqtt.DeviceMqttConnection>();
        try
        {
            foreach (var id in devices)
            {
                var device = mosquitto.Device(id, new CommandInbox());
                connections.Add(device);
                Assert.True((await device.ConnectAsync()).IsConnected);
            }

            foreach (var device in connections)
                for (int seq = 1; seq <= eventsPerDevice; seq++)
                    await device.PublishEventAsync(new HealthReported(null, seq, true, null));
            await allArrived.Task.WaitAsync(Deadline.Default);

            var atFirst = first.Seen.OfType<EventTraffic>().Select(e => (e.DeviceId, e.Event.Sequence)).ToList();
            var atSecond = second.Seen.OfType<EventTraffic>().Select(e => (e.DeviceId, e.Event.Sequence)).ToList();
            Assert.Equal(expected, atFirst.Concat(atSecond).Distinct().Count());
            Assert.Equal(expected, atFirst.Count + atSecond.Count);
            Assert.NotEmpty(atFirst);
            Assert.NotEmpty(atSecond);
        }
        finally
        {
            foreach (var device in connections) await device.DisposeAsync();
        }
    }
}
