namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>An updated device went back to its old image after the commit: a failure of its wave.</summary>
public sealed record DeviceRevertObserved(DateTimeOffset At, string DeviceId, string UpdateId) : IRolloutEvent;
