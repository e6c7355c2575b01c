namespace FleetOrchestrator.Server.Dashboard;

/// <summary>The fleet at a glance: devices by running version, by saga state and by the outcome of their last
/// saga.</summary>
public sealed record FleetCounts(
    int Total,
    IReadOnlyDictionary<string, int> Versions,
    IReadOnlyDictionary<string, int> States,
    IReadOnlyDictionary<string, int> Outcomes)
{
    public static FleetCounts Empty { get; } = new(0, new Dictionary<string, int>(), new Dictionary<string, int>(),
        new Dictionary<string, int>());
}
