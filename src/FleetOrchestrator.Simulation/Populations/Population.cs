namespace FleetOrchestrator.Simulation.Populations;

/// <summary>
/// What a simulated fleet is made of (<c>--population FILE.json</c>, examples in config/populations/): for each
/// dimension, the share of devices carrying each value. Starting versions are the committed image each unit boots
/// first (1.0.0 and 1.1.0: the run updates to 1.1.0, so 1.1.0 units are up to date). Hardware shares (ROM
/// bootloader, silicon revision) become each
/// unit's L072 model, so preflight refuses the units the saga would refuse in the field; the tag shares (region, cell,
/// time zone) become read-model tags a rollout's target and wave spread use. An empty dimension: every device gets
/// the default (ROM 4.1, rev Z, no tag).
/// </summary>
public sealed record Population(
    IReadOnlyList<PopulationShare> StartingVersions,
    IReadOnlyList<PopulationShare> RomBootloaders,
    IReadOnlyList<PopulationShare> SiliconRevisions,
    IReadOnlyList<PopulationShare> Regions,
    IReadOnlyList<PopulationShare> Cells,
    IReadOnlyList<PopulationShare> TimeZones)
{
    public const string RegionTag = "region";
    public const string CellTag = "cell";
    public const string TimeZoneTag = "timezone";

    public static Population Uniform { get; } = new([], [], [], [], [], []);
}
