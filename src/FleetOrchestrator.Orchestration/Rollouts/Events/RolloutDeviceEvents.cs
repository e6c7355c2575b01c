using FleetOrchestrator.Orchestration.Devices;

namespace FleetOrchestrator.Orchestration.Rollouts.Events;

// What the rollout commanded and learned, device by device (batched: one event per decision, not per device).

/// <summary>
/// StartUpdate went to these devices. <see cref="NextSlotAt"/>: with a devices-per-minute limit, the earliest time of
/// the next start (a persisted deadline).
/// </summary>
public sealed record DevicesCommanded(DateTimeOffset At, IReadOnlyList<string> DeviceIds, DateTimeOffset? NextSlotAt)
    : IRolloutEvent;

/// <summary>Download-only: ActivateUpdate went to these staged devices.</summary>
public sealed record DevicesActivated(DateTimeOffset At, IReadOnlyList<string> DeviceIds, DateTimeOffset? NextSlotAt)
    : IRolloutEvent;

/// <summary>A saga of this rollout concluded (the update or a rollback: <see cref="UpdateId"/> tells).</summary>
public sealed record DeviceConcluded(
    DateTimeOffset At, string DeviceId, string UpdateId, UpdateOutcome Outcome, string? Reason) : IRolloutEvent;

/// <summary>The device refused the start (busy with another update, or an invalid request): finished, counts as
/// neither.</summary>
public sealed record DeviceSkipped(DateTimeOffset At, string DeviceId, string Reason) : IRolloutEvent;

/// <summary>An updated device went back to its old image after the commit: a failure of its wave.</summary>
public sealed record DeviceRevertObserved(DateTimeOffset At, string DeviceId, string UpdateId) : IRolloutEvent;

/// <summary>Devices that matched the target after the start joined <see cref="Wave"/>.</summary>
public sealed record DevicesJoinedWave(DateTimeOffset At, int Wave, IReadOnlyList<string> DeviceIds) : IRolloutEvent;

/// <summary>A rollback saga (towards the previous image) went to these devices.</summary>
public sealed record DeviceRollbacksCommanded(DateTimeOffset At, IReadOnlyList<string> DeviceIds) : IRolloutEvent;
