using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.Simulation.Populations;

/// <summary>What a population gives one device: its silicon and ROM (its L072 model) and its tags.</summary>
public sealed record DeviceFacts(RomBootloaderVersion RomBootloader, SiliconRevision Revision,
    IReadOnlyDictionary<string, string> Tags)
{
    public L072Configuration Mcu(L072Configuration defaults) =>
        defaults with { RomBootloader = RomBootloader, Revision = Revision };
}
