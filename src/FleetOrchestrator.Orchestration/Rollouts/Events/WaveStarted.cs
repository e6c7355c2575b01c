namespace FleetOrchestrator.Orchestration.Rollouts.Events;

public sealed record WaveStarted(DateTimeOffset At, int Wave) : IRolloutEvent;
