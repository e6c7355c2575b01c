using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.Simulation.Faults;

namespace FleetOrchestrator.Simulation.Devices;

/// <summary>What makes one simulated device itself: its identity, its secret, its faults and its random seed.</summary>
public sealed record SimulatedDeviceOptions(string DeviceId, string Secret)
{
    public DeviceFaults Faults { get; init; } = DeviceFaults.None;
    /// <summary>Seeds the device's link losses and message faults, so a run is reproducible.</summary>
    public int Seed { get; init; }
    /// <summary>This unit's silicon and ROM (a population mixes them); null: the environment's.</summary>
    public L072Configuration? Mcu { get; init; }
    /// <summary>This unit's firmware agent (e.g. a release it crashes on); null: the environment's.</summary>
    public UpdateAgentOptions? Agent { get; init; }
    /// <summary>The committed image this unit starts on; null: the environment's initial version.</summary>
    public FleetOrchestrator.Firmware.Versioning.SemanticVersion? InitialVersion { get; init; }
}
