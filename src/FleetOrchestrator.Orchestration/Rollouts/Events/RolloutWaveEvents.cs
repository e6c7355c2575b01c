namespace FleetOrchestrator.Orchestration.Rollouts.Events;

// The gate's decisions, one wave at a time.

public sealed record WaveStarted(DateTimeOffset At, int Wave) : IRolloutEvent;

/// <summary>Every device finished above the thresholds; the wave soaks until <see cref="Until"/> (a persisted
/// deadline).</summary>
public sealed record WaveSoakStarted(DateTimeOffset At, int Wave, DateTimeOffset Until) : IRolloutEvent;

public sealed record WaveAwaitingApproval(DateTimeOffset At, int Wave) : IRolloutEvent;

/// <summary>The wave passed: by its gate (<see cref="By"/> null) or by an operator's approval or override.</summary>
public sealed record WavePassed(DateTimeOffset At, int Wave, OperatorAction? By) : IRolloutEvent;

/// <summary>The gate halted the rollout at <see cref="Wave"/>.</summary>
public sealed record RolloutHalted(DateTimeOffset At, int Wave, string Reason) : IRolloutEvent;

/// <summary>The last wave passed.</summary>
public sealed record RolloutCompleted(DateTimeOffset At) : IRolloutEvent;

/// <summary>Every rollback saga has concluded.</summary>
public sealed record RolloutRolledBack(DateTimeOffset At) : IRolloutEvent;
