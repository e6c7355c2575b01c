namespace FleetOrchestrator.Orchestration.Rollouts.Events;

public sealed record WaveAwaitingApproval(DateTimeOffset At, int Wave) : IRolloutEvent;
