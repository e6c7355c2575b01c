using FleetOrchestrator.Mqtt.Device;
using FleetOrchestrator.Mqtt.Tests.Support;

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
        await using var orchestrator = new External.ExternalBrokerTransport(mosquitto.Orchestrator("will-delay", "g" + Guid.NewGuid().ToString("N")[..12]), traffic);
        await orchestrator.StartAsync();
        await using var device = Device("mdev-20", willDelaySeconds: 60);
        Assert.True((await device.ConnectAsync()).IsConnected);
        await traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "mdev-20" && p.Presence.Online);

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
        await using var orchestrator = new External.ExternalBrokerTransport(mosquitto.Orchestrator("no-will-delay", "g" + Guid.NewGuid().ToString("N")[..12]), traffic);
        await orchestrator.StartAsync();
        await using var device = Device("mdev-21", willDelaySeconds: 0);
        Assert.True((await device.ConnectAsync()).IsConnected);
        await traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "mdev-21" && p.Presence.Online);

        await device.AbortAsync();

        await traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "mdev-21" && !p.Presence.Online);
    }

    private DeviceMqttConnection Device(string id, uint willDelaySeconds)
    {
        var inbox = new CommandInbox();
        return new DeviceMqttConnection(
            new DeviceConnectionOptions("127.0.0.1", mosquitto.Broker.Port, id, mosquitto.Broker.DeviceSecrets[id]) { WillDelaySeconds = willDelaySeconds },
            inbox.OnCommand, inbox.OnMalformed);
    }
}
