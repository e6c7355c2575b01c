namespace FleetOrchestrator.Orchestration.Devices.Messages;

/// <summary>
/// Published (EventStream, and the configured outcome subscriber) when a saga reaches a terminal outcome, so a rollout
/// or fleet runner can count outcomes without polling.
/// </summary>
public sealed record SagaOutcome(string DeviceId, string UpdateId, string? RolloutId, UpdateOutcome Outcome, string? Reason, DateTimeOffset At)
    : IDeviceMessage;

/// <summary>Published when a saga needs a human: a rollback is due and the device does not answer (RollbackPending).</summary>
public sealed record SagaNeedsAttention(string DeviceId, string UpdateId, string? RolloutId, string Reason, DateTimeOffset At)
    : IDeviceMessage;
