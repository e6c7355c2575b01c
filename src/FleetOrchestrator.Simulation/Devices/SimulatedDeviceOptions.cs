using FleetOrchestrator.Simulation.Faults;

namespace FleetOrchestrator.Simulation.Devices;

/// <summary>What makes one simulated device itself: its identity, its secret, its faults and its random seed.</summary>
public sealed record SimulatedDeviceOptions(string DeviceId, string Secret)
{
    public DeviceFaults Faults { get; init; } = DeviceFaults.None;
    /// <summary>Seeds the device's link losses and message faults, so a run is reproducible.</summary>
    public int Seed { get; init; }
}
