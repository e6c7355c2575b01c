namespace FleetOrchestrator.Orchestration.Rollouts.Policy;

/// <param name="MaxInFlight">Devices with a running saga at once (at least 1).</param>
/// <param name="DevicesPerMinute">Devices started per minute; 0: no rate limit.</param>
public sealed record RolloutLimits(int MaxInFlight, int DevicesPerMinute)
{
    public static RolloutLimits Default { get; } = new(200, 0);
}
