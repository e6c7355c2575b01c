namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>Download-only: ActivateUpdate went to these staged devices.</summary>
public sealed record DevicesActivated(DateTimeOffset At, IReadOnlyList<string> DeviceIds, DateTimeOffset? NextSlotAt)
    : IRolloutEvent;
