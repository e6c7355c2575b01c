namespace FleetOrchestrator.Orchestration.Devices.Messages;

/// <summary>
/// Starts the update saga on one device. Idempotent per <see cref="UpdateId"/>: sending it again (also after the saga
/// finished) answers with the current status and starts nothing. A different update id is refused while a saga runs.
/// </summary>
public sealed record StartUpdate(string DeviceId, string UpdateId, UpdateTarget Target, UpdatePolicy Policy, string? RolloutId = null)
    : IWithDeviceId, IDeviceMessage;

/// <summary>Download-only sagas wait in <c>Staged</c> until this arrives (the rollout's gate or window opened).</summary>
public sealed record ActivateUpdate(string DeviceId, string UpdateId) : IWithDeviceId, IDeviceMessage;

/// <summary>
/// Operator cancel or rollback. Before the swap it cancels (outcome Cancelled); after the swap was authorized it rolls
/// the device back (outcome RolledBack("operator: ...")).
/// </summary>
public sealed record CancelUpdate(string DeviceId, string UpdateId, string Reason) : IWithDeviceId, IDeviceMessage;

/// <summary>Answer to <see cref="StartUpdate"/>, <see cref="ActivateUpdate"/> and <see cref="CancelUpdate"/>.</summary>
public sealed record SagaRequestReply(string DeviceId, string UpdateId, bool Accepted, string? Reason, SagaPhase Phase) : IDeviceMessage;

/// <summary>Asks a device actor for its <see cref="DeviceSagaView"/>.</summary>
public sealed record GetDeviceSaga(string DeviceId) : IWithDeviceId, IDeviceMessage;
