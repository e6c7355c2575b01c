using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.L072.Memory;
using FleetOrchestrator.Simulation.Fleet;
using FleetOrchestrator.Simulation.Tests.Support;
using Xunit.Abstractions;

namespace FleetOrchestrator.Simulation.Tests.Measurements;

/// <summary>Memory per simulated device at 1,000 devices: the model alone, and model + MQTT connection (+ the broker's session).</summary>
[Trait("Category", "Measurement")]
public sealed class FleetMemoryMeasurement(RigFixture fixture, ITestOutputHelper output) : IClassFixture<RigFixture>
{
    private const int Devices = 1000;

    [MeasurementFact]
    public async Task Memory_per_device_at_1000_devices()
    {
        var pool = new PagePool();
        long before = Settled();
        var models = new List<UpdateAgent>(Devices);
        var content = fixture.Rig.Environment(pool: pool).InitialBankContent();
        for (int i = 0; i < Devices; i++)
        {
            var mcu = new L072Device(L072Configuration.Default, pool);
            mcu.LoadPhysicalBank(1, content);
            var agent = new UpdateAgent(mcu);
            agent.PowerOn();
            models.Add(agent);
        }
        long modelsOnly = Settled() - before;
        Assert.All(models, a => Assert.Equal(DeviceRunState.Running, a.Report().RunState));
        GC.KeepAlive(models);
        models.Clear();

        before = Settled();
        await using (var fleet = await SimulatedFleet.StartAsync(
            new SimulatedFleetOptions { DeviceCount = Devices, Seed = 11, IdPrefix = "mem-" }, fixture.Rig.Environment(pool: pool), fixture.Rig.Credentials))
        {
            long withConnections = Settled() - before;
            Assert.All(fleet.Devices, d => Assert.True(d.IsOnline));
            output.WriteLine($"devices: {Devices}; shared page pool: {pool.Count} pages ({pool.ContentBytes / 1024} KiB)");
            output.WriteLine($"model only (L072Device + UpdateAgent, booted): {modelsOnly / Devices} bytes/device");
            output.WriteLine($"simulated device (model + MQTT client + broker session + queues): {withConnections / Devices} bytes/device");
            output.WriteLine($"process working set: {Environment.WorkingSet / (1024 * 1024)} MiB");
        }
    }

    private static long Settled()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
