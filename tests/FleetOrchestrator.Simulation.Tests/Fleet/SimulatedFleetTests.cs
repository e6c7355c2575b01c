using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Memory;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Fleet;
using FleetOrchestrator.Simulation.Tests.Support;
using static FleetOrchestrator.Simulation.Tests.Support.SimulationRig;

namespace FleetOrchestrator.Simulation.Tests.Fleet;

public sealed class SimulatedFleetTests(RigFixture fixture) : IClassFixture<RigFixture>
{
    private SimulationRig Rig => fixture.Rig;

    [Fact]
    public async Task A_fleet_connects_every_device_with_its_own_credentials_and_shares_one_page_pool()
    {
        var options = new SimulatedFleetOptions
        {
            DeviceCount = 40, Seed = 5, IdPrefix = "fl-", IdDigits = 3, ConnectConcurrency = 8,
            Faults = FaultPlan.Parse("duplicate-messages=0.25"),
        };
        // A pool of its own, so other tests running in parallel do not add pages to it.
        var pool = new PagePool();
        await using var fleet = await SimulatedFleet.StartAsync(options, Rig.Environment(pool: pool), Rig.Credentials);

        Assert.Equal(40, fleet.Devices.Count);
        Assert.Equal("fl-001", fleet.Devices[0].DeviceId);
        Assert.Equal("fl-040", fleet.Devices[^1].DeviceId);
        Assert.All(fleet.Devices, d => Assert.True(d.IsOnline));
        foreach (var d in fleet.Devices) await Rig.Traffic.WaitFor<DeviceBooted>(d.DeviceId);
        Assert.Equal(10, fleet.Devices.Count(d => d.Faults.DuplicateMessages));

        var truth = fleet.Truth();
        Assert.All(truth.Values, t => Assert.Equal((DeviceRunState.Running, V100, 1), (t.RunState, t.RunningVersion, t.ActiveBank)));
        // 40 devices holding the same 96 KB image: the pool holds it once (768 pages + the erased page), not 40 times.
        Assert.Same(pool, fleet.Pool);
        Assert.InRange(pool.Count, 2, 769);
        Assert.All(fleet.Devices, d => Assert.True(d.ModelPrivateBytes < 8 * 1024, $"{d.DeviceId}: {d.ModelPrivateBytes} bytes"));
        Assert.Equal(40, Enumerable.Range(1, 40).Select(i => SimulatedFleet.SecretOf(5, SimulatedFleet.DeviceIdOf(options, i))).Distinct().Count());
        Assert.Equal(SimulatedFleet.SecretOf(5, "fl-001"), SimulatedFleet.SecretOf(5, "fl-001"));
        Assert.NotEqual(SimulatedFleet.SecretOf(5, "fl-001"), SimulatedFleet.SecretOf(6, "fl-001"));
    }
}
