using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Orchestration.Devices.Events;

/// <summary>
/// The version check found the device running <see cref="TrialVersion"/> on trial, left over from an earlier saga
/// that ended without commit or rollback (e.g. Lost after the swap): a device on trial refuses downloads
/// (<c>trial-pending</c>), so the saga first rolls it back (<see cref="CommandId"/>, re-sent until
/// <see cref="Deadline"/>) and runs the preflight on the report that follows. A trial nobody watched is never
/// committed.
/// </summary>
public sealed record LeftoverTrialRollbackCommanded(
    DateTimeOffset At, long? Sequence, SemanticVersion TrialVersion, string CommandId, DateTimeOffset Deadline)
    : IDeviceActorEvent, IFromDevice;
