using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Fleet;
using FleetOrchestrator.Simulation.Tests.Support;
using static FleetOrchestrator.Simulation.Tests.Support.SimulationRig;

namespace FleetOrchestrator.Simulation.Tests.Fleet;

/// <summary>Many devices updated at once by a scripted orchestrator: the per-device queues and transfers run side by side.</summary>
public sealed class FleetUpdateTests(RigFixture fixture) : IClassFixture<RigFixture>
{
    private SimulationRig Rig => fixture.Rig;

    [Fact]
    public async Task Sixty_devices_update_concurrently_and_every_device_ends_on_the_new_image()
    {
        var options = new SimulatedFleetOptions
        {
            DeviceCount = 60, Seed = 9, IdPrefix = "fu-", IdDigits = 3,
            Faults = FaultPlan.Parse("corrupt-transfer=0.1,duplicate-messages=0.2,reordered-messages=0.2"),
        };
        var image = Rig.Publish(V110);
        await using var fleet = await SimulatedFleet.StartAsync(options, Rig.Environment(), Rig.Credentials);
        var ids = fleet.Devices.Select(d => d.DeviceId).ToList();

        await Task.WhenAll(ids.Select(id => Rig.SendAsync(id, Rig.Download(id, id + "-dl-1", image))));
        var first = await Task.WhenAll(ids.Select(id => Rig.Traffic.WaitFor<DeviceEvent>(id, e => e.CommandId == id + "-dl-1" && e is ImageStaged or StagingFailed)));
        var corrupted = ids.Where((id, i) => first[i] is StagingFailed).ToList();
        Assert.Equal(fleet.Devices.Where(d => d.Faults.CorruptTransfer).Select(d => d.DeviceId).Order(), corrupted.Order());
        foreach (var id in corrupted)
        {
            await Rig.SendAsync(id, new EraseStaged(id + "-erase"));
            await Rig.Traffic.Answer<CommandAcknowledged>(id, id + "-erase");
            await Rig.SendAsync(id, Rig.Download(id, id + "-dl-2", image));
            await Rig.Traffic.Answer<ImageStaged>(id, id + "-dl-2");
        }

        await Task.WhenAll(ids.Select(id => Rig.SendAsync(id, new AuthorizeSwap(id + "-swap", V110, image.Crc))));
        await Task.WhenAll(ids.Select(id => Rig.Traffic.WaitFor<DeviceBooted>(id, b => b.CommandId == id + "-swap" && b.ImageState == ImageState.Trial)));
        await Task.WhenAll(ids.Select(id => Rig.SendAsync(id, new CommitImage(id + "-commit", V110))));
        await Task.WhenAll(ids.Select(id => Rig.Traffic.Answer<ImageCommitted>(id, id + "-commit")));
        await fleet.IdleAsync();

        Assert.All(fleet.Truth().Values, t =>
            Assert.Equal((DeviceRunState.Running, V110, 2, UpdatePhase.Committed), (t.RunState, t.RunningVersion, t.ActiveBank, t.Phase)));
        Assert.Empty(Rig.Traffic.Rejected);
    }
}
