namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>A rollback saga (towards the previous image) went to these devices.</summary>
public sealed record DeviceRollbacksCommanded(DateTimeOffset At, IReadOnlyList<string> DeviceIds) : IRolloutEvent;
