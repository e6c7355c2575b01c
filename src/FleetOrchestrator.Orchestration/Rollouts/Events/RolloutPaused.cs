namespace FleetOrchestrator.Orchestration.Rollouts.Events;

public sealed record RolloutPaused(DateTimeOffset At, OperatorAction By) : IRolloutEvent;
