using FleetOrchestrator.Orchestration.Devices;

namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

// What the rollout learns from the saga feed (through RolloutFeedRouter), at least once: the rollout dedups by
// (device id, update id) and acknowledges repeats.

/// <summary>A saga of this rollout concluded (the forward update or a rollback saga).</summary>
public sealed record SagaConcluded(
    string RolloutId, string DeviceId, string UpdateId, UpdateOutcome Outcome, string? Reason, DateTimeOffset At)
    : IWithRolloutId, IRolloutMessage;

/// <summary>A device this rollout updated went back to its old image after the commit (a failure of its
/// wave).</summary>
public sealed record DeviceReverted(string RolloutId, string DeviceId, string UpdateId, DateTimeOffset At)
    : IWithRolloutId, IRolloutMessage;
