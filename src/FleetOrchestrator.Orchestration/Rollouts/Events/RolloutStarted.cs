using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Policy;

namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>
/// The rollout began with this policy, target and planned waves (device ids per wave, from <see cref="Seed"/>).
/// <see cref="RollbackTarget"/> is the previous image under a downgrade-allowing manifest (null: no fleet rollback).
/// </summary>
public sealed record RolloutStarted(DateTimeOffset At, string RolloutId, RolloutPolicy Policy, UpdateTarget Target,
    UpdateTarget? RollbackTarget, UpdatePolicy SagaPolicy, int Seed, IReadOnlyList<IReadOnlyList<string>> Waves,
    OperatorAction By, IReadOnlyDictionary<string, string>? TimeZones = null) : IRolloutEvent;
