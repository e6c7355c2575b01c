using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;

namespace FleetOrchestrator.Mqtt.Tests.Mosquitto;

/// <summary>
/// The Will Delay Interval PROTOCOL.md §2 asks devices for (60 s), against a real Mosquitto: the reset that runs a
/// swapped bank brings the device back within seconds, and the orchestrator must not see it flap offline and online.
/// </summary>
public sealed class MosquittoWillDelayTests(MosquittoFixture mosquitto) : IClassFixture<MosquittoFixture>
{
    [Fact]
    public async Task A_device_back_within_its_will_delay_never_shows_offline()
    {
        var traffic = new RecordingTrafficHandler();
        await using var orchestrator = await StartOrchestratorAsync("will-delay", traffic);
        await using var device = await ConnectedDevice("mdev-20", willDelaySeconds: 60, traffic);

        await device.AbortAsync();   // a reset: no DISCONNECT, the broker sees the link drop
        Assert.True((await device.ConnectAsync()).IsConnected);
        await device.PublishEventAsync(SampleMessages.Booted(41));

        // The marker comes after the reconnect; an undelayed will would have come before it.
        await traffic.WaitFor<EventTraffic>(e => e.DeviceId == "mdev-20" && e.Event.Sequence == 41);
        Assert.DoesNotContain(traffic.Seen, t => t is PresenceTraffic { DeviceId: "mdev-20", Presence.Online: false });
    }

    [Fact]
    public async Task Without_a_will_delay_the_same_reset_shows_the_device_offline()
    {
        var traffic = new RecordingTrafficHandler();
        await using var orchestrator = await StartOrchestratorAsync("no-will-delay", traffic);
        await using var device = await ConnectedDevice("mdev-21", willDelaySeconds: 0, traffic);

        await device.AbortAsync();

        await traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "mdev-21" && !p.Presence.Online);
    }

    private async Task<External.ExternalBrokerTransport> StartOrchestratorAsync(string suffix, RecordingTrafficHandler traffic)
    {
        var transport = new External.ExternalBrokerTransport(mosquitto.Orchestrator(suffix, "g" + Guid.NewGuid().ToString("N")[..12]), traffic);
        await transport.StartAsync();
        return transport;
    }

    /// <summary>A device connected with the given will delay, once the orchestrator has seen it online.</summary>
    private async Task<DeviceMqttConnection> ConnectedDevice(string id, uint willDelaySeconds, RecordingTrafficHandler traffic)
    {
        var inbox = new CommandInbox();
        var device = new DeviceMqttConnection(
            new DeviceConnectionOptions("127.0.0.1", mosquitto.Broker.Port, id, mosquitto.Broker.DeviceSecrets[id]) { WillDelaySeconds = willDelaySeconds },
            inbox.OnCommand, inbox.OnMalformed);
        Assert.True((await device.ConnectAsync()).IsConnected);
        await traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == id && p.Presence.Online);
        return device;
    }
}
