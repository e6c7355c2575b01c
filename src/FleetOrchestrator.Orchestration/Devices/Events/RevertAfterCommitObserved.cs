using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Orchestration.Devices.Events;

/// <summary>
/// After its update <see cref="UpdateId"/> was committed (Updated), the device reported <see cref="RunningVersion"/>
/// instead of the committed <see cref="CommittedVersion"/> (an operator downgrade, a reflash, a corrupted bank the
/// ROM fell back from). The saga's outcome becomes <c>RevertedAfterCommit</c>, a failure of whatever launched it.
/// </summary>
public sealed record RevertAfterCommitObserved(DateTimeOffset At, long? Sequence, string UpdateId, string? RolloutId,
    SemanticVersion CommittedVersion, SemanticVersion RunningVersion, string Detail) : IDeviceActorEvent, IFromDevice;
