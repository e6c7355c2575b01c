namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>Every rollback saga has concluded.</summary>
public sealed record RolloutRolledBack(DateTimeOffset At) : IRolloutEvent;
