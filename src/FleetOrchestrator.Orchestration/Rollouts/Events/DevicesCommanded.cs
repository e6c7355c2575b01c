namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>
/// StartUpdate went to these devices. <see cref="NextSlotAt"/>: with a devices-per-minute limit, the earliest time of
/// the next start (a persisted deadline).
/// </summary>
public sealed record DevicesCommanded(DateTimeOffset At, IReadOnlyList<string> DeviceIds, DateTimeOffset? NextSlotAt)
    : IRolloutEvent;
