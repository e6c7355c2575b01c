namespace FleetOrchestrator.Orchestration.Rollouts.Events;

public sealed record RolloutResumed(DateTimeOffset At, OperatorAction By) : IRolloutEvent;
