namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>The wave passed: by its gate (<see cref="By"/> null) or by an operator's approval or override.</summary>
public sealed record WavePassed(DateTimeOffset At, int Wave, OperatorAction? By) : IRolloutEvent;
