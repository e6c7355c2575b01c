using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Mqtt.Tests.Embedded;

public sealed class EmbeddedCommandDeliveryTests
{
    [Theory]
    [InlineData(CommandDeliveryPath.DirectEnqueue)]
    [InlineData(CommandDeliveryPath.BrokerRouting)]
    public async Task A_command_reaches_exactly_the_target_device(CommandDeliveryPath path)
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(new EmbeddedBrokerOptions { CommandDelivery = path }, "dev-a", "dev-b");
        var inboxA = new CommandInbox();
        var inboxB = new CommandInbox();
        await harness.ConnectedDevice("dev-a", inboxA);
        await harness.ConnectedDevice("dev-b", inboxB);

        await harness.Broker.CommandSender.SendAsync("dev-b", new GetState("cmd-for-b"));
        await harness.Broker.CommandSender.SendAsync("dev-a", new CommitImage("cmd-for-a", SampleMessages.V1));

        var gotA = await inboxA.WaitFor("cmd-for-a");
        var gotB = await inboxB.WaitFor("cmd-for-b");
        Assert.Equal(new CommitImage("cmd-for-a", SampleMessages.V1), gotA);
        Assert.IsType<GetState>(gotB);
        Assert.DoesNotContain(inboxA.Commands, c => c.Id == "cmd-for-b");
        Assert.DoesNotContain(inboxB.Commands, c => c.Id == "cmd-for-a");
    }

    [Fact]
    public async Task A_direct_command_sent_while_the_device_is_offline_is_delivered_when_it_reconnects()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        var inbox = new CommandInbox();
        var device = await harness.ConnectedDevice("dev-a", inbox);
        await device.AbortAsync();
        await harness.Traffic.WaitFor<PresenceTraffic>(p => p.DeviceId == "dev-a" && !p.Presence.Online);

        // The session outlives the connection (clean start false + expiry): QoS 1 waits in it.
        await harness.Broker.CommandSender.SendAsync("dev-a", new EraseStaged("while-offline"));
        var outcome = await device.ConnectAsync();

        Assert.True(outcome.IsSessionPresent);
        Assert.IsType<EraseStaged>(await inbox.WaitFor("while-offline"));
    }

    [Fact]
    public async Task A_command_for_a_device_that_never_connected_is_held_and_delivered_on_its_first_connect()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-new");
        var inbox = new CommandInbox();

        await harness.Broker.CommandSender.SendAsync("dev-new", new GetState("before-first-connect"));
        await harness.ConnectedDevice("dev-new", inbox);

        Assert.IsType<GetState>(await inbox.WaitFor("before-first-connect"));
    }

    [Fact]
    public async Task A_command_to_an_id_that_could_escape_the_device_subtree_is_refused_before_it_is_sent()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");

        var error = await Assert.ThrowsAsync<ArgumentException>(
            async () => await harness.Broker.CommandSender.SendAsync("dev-a/../+", new GetState("x")));

        Assert.Contains("dev-a/../+", error.Message);
    }
}
