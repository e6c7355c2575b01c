namespace FleetOrchestrator.Orchestration.Rollouts.Policy;

/// <summary>
/// Device-local hours in which swaps may be authorized (downloads go on outside them). A window whose end is before
/// its start spans midnight: 22:00-04:00 is open from 22:00 to 04:00 the next day.
/// </summary>
public sealed record MaintenanceWindow(TimeOnly LocalStart, TimeOnly LocalEnd)
{
    /// <summary>Whether <paramref name="local"/> (the device's local time of day) is inside the window.</summary>
    public bool Contains(TimeOnly local) => LocalStart <= LocalEnd
        ? local >= LocalStart && local < LocalEnd
        : local >= LocalStart || local < LocalEnd;
}
