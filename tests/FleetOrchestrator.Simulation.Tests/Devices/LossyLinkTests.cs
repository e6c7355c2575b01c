using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Links;
using FleetOrchestrator.Simulation.Tests.Support;
using static FleetOrchestrator.Simulation.Tests.Support.SimulationRig;

namespace FleetOrchestrator.Simulation.Tests.Devices;

/// <summary>
/// A lossy radio delays the device's publishes but never loses them: TCP retransmits a lost packet and the QoS 1
/// session re-sends an unacknowledged PUBLISH. Regression: the outbox used to drop the publish outright, so on LTE-M
/// (0.2 % loss) about one device in 200 lost a fact the protocol never repeats; a lost <c>booted</c> made the saga sit
/// out its boot deadline and roll back a good update, a lost <c>staged</c> cost a whole download attempt.
/// </summary>
public sealed class LossyLinkTests(RigFixture fixture) : IClassFixture<RigFixture>
{
    private SimulationRig Rig => fixture.Rig;

    [Fact]
    public async Task On_a_link_that_loses_every_other_packet_every_answer_and_every_boot_fact_still_arrives()
    {
        const string id = "lossy-1";
        var image = Rig.Publish(V110, size: 4096); // one chunk: the chunk retries are not what this test is about
        var link = LinkProfile.Instant with { DropProbability = 0.5 };
        var device = await Rig.StartDeviceAsync(id, link: link);

        await Rig.SendAsync(id, Rig.Download(id, "lossy-dl", image));
        Assert.True((await Rig.Traffic.Answer<CommandAcknowledged>(id, "lossy-dl")).Accepted);
        await Rig.Traffic.Answer<ImageStaged>(id, "lossy-dl");
        await Rig.Traffic.WaitFor<DeviceStateReport>(id, s => s.StagedVersion == V110);

        await Rig.SendAsync(id, new AuthorizeSwap("lossy-swap", V110, image.Crc));
        Assert.True((await Rig.Traffic.Answer<CommandAcknowledged>(id, "lossy-swap")).Accepted);
        var booted = await Rig.Traffic.WaitFor<DeviceBooted>(id, b => b.CommandId == "lossy-swap");
        Assert.Equal((V110, ImageState.Trial), (booted.Version, booted.ImageState));
        Assert.True((await Rig.Traffic.WaitFor<HealthReported>(id)).Healthy);
        await Rig.Traffic.WaitFor<DeviceStateReport>(id, s => s.RunningVersion == V110 && s.ImageState == ImageState.Trial);

        await Rig.SendAsync(id, new CommitImage("lossy-commit", V110));
        await Rig.Traffic.Answer<ImageCommitted>(id, "lossy-commit");
        await Rig.Traffic.WaitFor<DeviceStateReport>(id, s => s.RunningVersion == V110 && s.ImageState == ImageState.Committed);

        Assert.Equal(UpdatePhase.Committed, device.Truth().Phase);
        Assert.True(device.Counters.PublishesDropped > 0, "the link lost packets (else this test proves nothing)");
        Assert.Equal(0, device.Counters.PublishesLostOffline);
        // Late, but in order: a retransmission never lets a later event overtake it.
        var seqs = Rig.Traffic.All<DeviceEvent>(id).Select(e => e.Sequence).ToList();
        Assert.Equal(seqs.Order(), seqs);
    }
}
