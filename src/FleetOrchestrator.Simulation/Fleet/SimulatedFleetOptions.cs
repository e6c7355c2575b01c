using FleetOrchestrator.Simulation.Devices;
using FleetOrchestrator.Simulation.Faults;

namespace FleetOrchestrator.Simulation.Fleet;

/// <summary>How many devices, how they are named, which faults they carry, and how fast they connect.</summary>
public sealed record SimulatedFleetOptions
{
    public int DeviceCount { get; init; } = 100;
    /// <summary>Everything random in the fleet (secrets, fault assignment, link losses) derives from this.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Device ids are the prefix plus a zero-padded 1-based number: dev-00001.</summary>
    public string IdPrefix { get; init; } = "dev-";
    public int IdDigits { get; init; } = 5;
    public FaultPlan Faults { get; init; } = FaultPlan.None;
    /// <summary>Devices connecting at the same time (a broker accepts a burst, not 10,000 handshakes at once).</summary>
    public int ConnectConcurrency { get; init; } = 200;
    /// <summary>
    /// Gives a device its own facts (silicon, ROM, agent) from its id and the options it would get; null: every
    /// device is the environment's default unit.
    /// </summary>
    public Func<SimulatedDeviceOptions, SimulatedDeviceOptions>? Customize { get; init; }
}
