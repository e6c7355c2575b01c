using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using FleetOrchestrator.Simulation.Links.KeepAlive;

namespace FleetOrchestrator.Simulation.Tests.Links.KeepAlive;

/// <summary>A device connection kept alive by the shared timer, against the embedded broker's real keep-alive check.</summary>
public sealed class SharedKeepAliveDeviceTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_connect_declares_the_keep_alive_and_the_shared_pings_keep_the_device_connected_past_one_and_a_half_periods(bool inProcess)
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        ushort? declared = null;
        harness.Broker.Server.ValidatingConnectionAsync += e =>
        {
            if (e.ClientId == "dev-a") declared = e.KeepAlivePeriod;
            return Task.CompletedTask;
        };
        using var keepAlive = new SharedKeepAlive(TimeSpan.FromMilliseconds(100));
        var inbox = new CommandInbox();
        await using var device = new DeviceMqttConnection(
            new DeviceConnectionOptions("127.0.0.1", harness.Broker.Port, "dev-a", harness.SecretOf("dev-a"))
            {
                // 2 s, not 1: under a loaded test run a 1 s period left too little slack (flaky), 2 s proves the same.
                KeepAliveSeconds = 2,
                SharedKeepAlive = keepAlive,
                Link = inProcess ? harness.InProcessClients : null,
            },
            inbox.OnCommand, inbox.OnMalformed);

        Assert.True((await device.ConnectAsync()).IsConnected);
        Assert.Equal((ushort)2, declared);
        Assert.Equal(1, keepAlive.Connections);

        // Four answered pings, one every 1 s: the broker, which drops a client silent for 3 s, has seen 4 s pass.
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        using (var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50)))
        {
            while (keepAlive.PingsAnswered < 4) await tick.WaitForNextTickAsync(deadline.Token);
        }
        Assert.True(device.IsConnected);
        Assert.DoesNotContain(harness.Traffic.Seen.OfType<PresenceTraffic>(), p => p.DeviceId == "dev-a" && !p.Presence.Online);
        Assert.Equal(0, keepAlive.PingsFailed);

        await device.DisconnectAsync();
        Assert.Equal(0, keepAlive.Connections);
    }
}
