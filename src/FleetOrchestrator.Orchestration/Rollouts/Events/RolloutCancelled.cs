namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>Terminal: nothing more is commanded; every running saga was told to cancel.</summary>
public sealed record RolloutCancelled(DateTimeOffset At, OperatorAction By) : IRolloutEvent;
