namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>Download-only: swaps may now be authorized, wave by wave.</summary>
public sealed record RolloutActivated(DateTimeOffset At, OperatorAction By) : IRolloutEvent;
