namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>
/// A rollback of the updated devices of <see cref="Waves"/> began: by an operator (<see cref="By"/>) or by the gate
/// (onHalt rollbackWave / rollbackAll, <see cref="By"/> null).
/// </summary>
public sealed record RollbackStarted(DateTimeOffset At, OperatorAction? By, string Reason, IReadOnlyList<int> Waves)
    : IRolloutEvent;
