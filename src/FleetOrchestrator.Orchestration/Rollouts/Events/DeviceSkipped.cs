namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>The device refused the start (busy with another update, or an invalid request): finished, counts as
/// neither.</summary>
public sealed record DeviceSkipped(DateTimeOffset At, string DeviceId, string Reason) : IRolloutEvent;
