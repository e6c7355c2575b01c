using FleetOrchestrator.Mqtt.External;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;

namespace FleetOrchestrator.Mqtt.Tests.Mosquitto;

/// <summary>
/// Several orchestrator nodes on one Mosquitto: a node that leaves the shared-subscription group changes nothing for
/// the devices; the traffic it would have taken goes to the nodes that remain, none of it lost at QoS 1.
/// </summary>
public sealed class SharedSubscriptionFailoverTests(MosquittoFixture mosquitto) : IClassFixture<MosquittoFixture>
{
    private const int Events = 40;

    [Fact]
    public async Task When_a_node_leaves_the_group_every_later_event_reaches_the_node_that_stays()
    {
        var group = "g" + Guid.NewGuid().ToString("N")[..12];
        var staying = new RecordingTrafficHandler();
        var leaving = new RecordingTrafficHandler();
        // The product's session expiry, not the fixture's 0: the leaving node's session must not keep taking a share.
        var stayingNode = new ExternalBrokerTransport(
            mosquitto.Orchestrator("stay", group) with { SessionExpirySeconds = 3600 }, staying);
        var leavingNode = new ExternalBrokerTransport(
            mosquitto.Orchestrator("leave", group) with { SessionExpirySeconds = 3600 }, leaving);
        await using var _ = stayingNode;
        await stayingNode.StartAsync();
        await leavingNode.StartAsync();
        await using var device = mosquitto.Device("mdev-20", new CommandInbox());
        Assert.True((await device.ConnectAsync()).IsConnected);

        for (int seq = 1; seq <= Events; seq++) await device.PublishEventAsync(new HealthReported(null, seq, true, null));
        await WaitForAll(staying, leaving, 1, Events);
        Assert.NotEmpty(leaving.Seen.OfType<EventTraffic>());

        await leavingNode.DisposeAsync();
        for (int seq = Events + 1; seq <= 2 * Events; seq++)
            await device.PublishEventAsync(new HealthReported(null, seq, true, null));

        await WaitForAll(staying, new RecordingTrafficHandler(), Events + 1, 2 * Events);
    }

    [Fact]
    public async Task A_killed_nodes_share_is_redelivered_when_it_returns_and_goes_to_the_others_once_its_session_expired()
    {
        var group = "g" + Guid.NewGuid().ToString("N")[..12];
        var staying = new RecordingTrafficHandler();
        var killed = new RecordingTrafficHandler();
        var returned = new RecordingTrafficHandler();
        var killedOptions = mosquitto.Orchestrator("killed", group) with { SessionExpirySeconds = 3 };
        await using var stayingNode = new ExternalBrokerTransport(mosquitto.Orchestrator("stays", group), staying);
        await stayingNode.StartAsync();
        var killedNode = new ExternalBrokerTransport(killedOptions, killed);
        await killedNode.StartAsync();
        await using var device = mosquitto.Device("mdev-21", new CommandInbox());
        Assert.True((await device.ConnectAsync()).IsConnected);

        // No DISCONNECT: the broker keeps the session, and with it the killed node's share of what follows.
        await killedNode.AbandonAsync();
        for (int seq = 1; seq <= Events; seq++) await device.PublishEventAsync(new HealthReported(null, seq, true, null));
        await using (var again = new ExternalBrokerTransport(killedOptions, returned))
        {
            await again.StartAsync();
            await WaitForAll(staying, returned, 1, Events);
            Assert.NotEmpty(returned.Seen.OfType<EventTraffic>());
            await again.AbandonAsync();
        }

        // Once the session expired, the broker drops the member and the node that stayed takes everything.
        // Round robin: ten probes in a row all at the node that stayed means no other member is left.
        int probe = 1000;
        var gone = await Poll(async () =>
        {
            int first = probe + 1;
            for (int i = 0; i < 10; i++) await device.PublishEventAsync(new HealthReported(null, ++probe, true, null));
            try
            {
                await WaitForAll(staying, new RecordingTrafficHandler(), first, probe, TimeSpan.FromMilliseconds(500));
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20));
        Assert.True(gone, "the killed node's session never expired");
        for (int seq = 10_001; seq <= 10_000 + Events; seq++)
            await device.PublishEventAsync(new HealthReported(null, seq, true, null));
        await WaitForAll(staying, new RecordingTrafficHandler(), 10_001, 10_000 + Events);
    }

    private static async Task<bool> Poll(Func<Task<bool>> probe, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
            if (await probe()) return true;
        return false;
    }

    private static async Task WaitForAll(RecordingTrafficHandler a, RecordingTrafficHandler b, int from, int to,
        TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Deadline.Default);
        while (true)
        {
            var seen = a.Seen.Concat(b.Seen).OfType<EventTraffic>().Select(e => e.Event.Sequence)
                .Where(s => s >= from && s <= to).Distinct().Count();
            if (seen == to - from + 1) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{seen} of {to - from + 1} events ({from}..{to}) arrived");
            await Task.Delay(50);
        }
    }
}
