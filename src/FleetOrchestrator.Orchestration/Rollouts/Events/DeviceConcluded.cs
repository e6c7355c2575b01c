using FleetOrchestrator.Orchestration.Devices;

namespace FleetOrchestrator.Orchestration.Rollouts.Events;

/// <summary>A saga of this rollout concluded (the update or a rollback: <see cref="UpdateId"/> tells).</summary>
public sealed record DeviceConcluded(
    DateTimeOffset At, string DeviceId, string UpdateId, UpdateOutcome Outcome, string? Reason) : IRolloutEvent;
