using FleetOrchestrator.Orchestration.Devices;

namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>
/// A saga of this rollout concluded (the forward update or a rollback saga). Sent by <c>RolloutFeedRouter</c> from the
/// saga feed, at least once: the rollout records it once per (device id, update id) and acknowledges every copy.
/// </summary>
public sealed record SagaConcluded(
    string RolloutId, string DeviceId, string UpdateId, UpdateOutcome Outcome, string? Reason, DateTimeOffset At)
    : IWithRolloutId, IRolloutMessage;
