namespace FleetOrchestrator.Simulation.Tests.Support;

/// <summary>One rig per test class; every test uses its own device ids, so tests do not see each other's traffic.</summary>
public sealed class RigFixture : IAsyncLifetime
{
    internal SimulationRig Rig { get; private set; } = null!;

    public async Task InitializeAsync() => Rig = await SimulationRig.StartAsync();

    public async Task DisposeAsync() => await Rig.DisposeAsync();
}
