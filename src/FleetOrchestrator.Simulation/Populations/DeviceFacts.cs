using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.Simulation.Populations;

/// <summary>What a population gives one device: starting version, silicon and ROM (its L072 model), tags.</summary>
/// <param name="StartingVersion">The committed image it starts on; null: the run's default (1.0.0).</param>
public sealed record DeviceFacts(RomBootloaderVersion RomBootloader, SiliconRevision Revision,
    IReadOnlyDictionary<string, string> Tags, SemanticVersion? StartingVersion = null)
{
    public L072Configuration Mcu(L072Configuration defaults) =>
        defaults with { RomBootloader = RomBootloader, Revision = Revision };
}
