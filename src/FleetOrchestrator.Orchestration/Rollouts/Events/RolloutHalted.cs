namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>The gate halted the rollout at <see cref="Wave"/>.</summary>
public sealed record RolloutHalted(DateTimeOffset At, int Wave, string Reason) : IRolloutEvent;
