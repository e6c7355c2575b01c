namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>The last wave passed.</summary>
public sealed record RolloutCompleted(DateTimeOffset At) : IRolloutEvent;
