using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Policy;

namespace FleetOrchestrator.Orchestration.Rollouts.Events;

// Operator actions: each names who took it and why; At is when.

/// <summary>
/// The rollout began with this policy, target and planned waves (device ids per wave, from <see cref="Seed"/>).
/// <see cref="RollbackTarget"/> is the previous image under a downgrade-allowing manifest (null: no fleet rollback).
/// </summary>
public sealed record RolloutStarted(DateTimeOffset At, string RolloutId, RolloutPolicy Policy, UpdateTarget Target,
    UpdateTarget? RollbackTarget, UpdatePolicy SagaPolicy, int Seed, IReadOnlyList<IReadOnlyList<string>> Waves,
    OperatorAction By) : IRolloutEvent;

public sealed record RolloutPaused(DateTimeOffset At, OperatorAction By) : IRolloutEvent;

public sealed record RolloutResumed(DateTimeOffset At, OperatorAction By) : IRolloutEvent;

/// <summary>Download-only: swaps may now be authorized, wave by wave.</summary>
public sealed record RolloutActivated(DateTimeOffset At, OperatorAction By) : IRolloutEvent;

/// <summary>Terminal: nothing more is commanded; every running saga was told to cancel.</summary>
public sealed record RolloutCancelled(DateTimeOffset At, OperatorAction By) : IRolloutEvent;

/// <summary>
/// A rollback of the updated devices of <see cref="Waves"/> began: by an operator (<see cref="By"/>) or by the gate
/// (onHalt rollbackWave / rollbackAll, <see cref="By"/> null).
/// </summary>
public sealed record RollbackStarted(DateTimeOffset At, OperatorAction? By, string Reason, IReadOnlyList<int> Waves)
    : IRolloutEvent;
