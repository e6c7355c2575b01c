namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>Every device finished above the thresholds; the wave soaks until <see cref="Until"/> (a persisted
/// deadline).</summary>
public sealed record WaveSoakStarted(DateTimeOffset At, int Wave, DateTimeOffset Until) : IRolloutEvent;
