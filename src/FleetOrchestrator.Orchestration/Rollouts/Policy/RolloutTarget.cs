namespace FleetOrchestrator.Orchestration.Rollouts.Policy;

/// <summary>
/// Selection over the fleet; every criterion given must hold (an empty list or map means "any"). Tag values are
/// alternatives: <c>"region": ["eu", "uk"]</c> takes devices tagged region=eu or region=uk.
/// </summary>
public sealed record RolloutTarget(
    IReadOnlyList<string> Versions,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Tags,
    IReadOnlyList<string> DeviceIds,
    IReadOnlyList<string> HardwareTargets,
    IReadOnlyList<string> RomBootloaders);
