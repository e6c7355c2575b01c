using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Devices.Events;

// One event per saga transition (never per block or progress message). Events that start a wait carry its absolute
// Deadline so a recovered saga re-arms the same deadline.

/// <summary>A saga began: the state query <see cref="CheckCommandId"/> went out; Lost after <see cref="Deadline"/>.</summary>
public sealed record UpdateRequested(DateTimeOffset At, string UpdateId, string? RolloutId, UpdateTarget Target, UpdatePolicy Policy,
    string CheckCommandId, DateTimeOffset Deadline) : IDeviceActorEvent;

/// <summary>
/// The device's report passed every compatibility rule; the update starts from <see cref="FromVersion"/> on
/// <see cref="BankBefore"/>. <see cref="FirstDownload"/> is the download command decided from the same report: one
/// input, one journaled event (null in journals written before it was folded in, which carry a separate
/// <see cref="DownloadCommanded"/>).
/// </summary>
public sealed record PreflightPassed(DateTimeOffset At, long? Sequence, SemanticVersion FromVersion, BankId BankBefore, DeviceStateReport Report,
    DownloadCommanded? FirstDownload = null)
    : IDeviceActorEvent, IFromDevice;

/// <summary>Terminal: the device cannot take this image (Incompatible).</summary>
public sealed record DeviceRefused(DateTimeOffset At, long? Sequence, string Reason, DeviceStateReport Report) : IDeviceActorEvent, IFromDevice;

/// <summary>Terminal: the device already runs the target version (UpToDate).</summary>
public sealed record AlreadyUpToDate(DateTimeOffset At, long? Sequence, SemanticVersion Version, DeviceStateReport Report) : IDeviceActorEvent, IFromDevice;

/// <summary>StartDownload attempt <see cref="Attempt"/> went out (resuming at <see cref="ResumeOffset"/>).</summary>
public sealed record DownloadCommanded(DateTimeOffset At, int Attempt, string CommandId, int ResumeOffset, DateTimeOffset Deadline) : IDeviceActorEvent;

/// <summary>The device accepted the download command (proves it is reachable: exhausted retries then mean Failed, not Lost).</summary>
public sealed record DownloadAccepted(DateTimeOffset At, long? Sequence, string CommandId) : IDeviceActorEvent, IFromDevice;

/// <summary>A download attempt failed (device report or deadline); the next attempt is due at <see cref="RetryAt"/>.</summary>
public sealed record DownloadAttemptFailed(DateTimeOffset At, long? Sequence, int Attempt, string Reason, int ResumeOffset, DateTimeOffset RetryAt)
    : IDeviceActorEvent, IFromDevice;

/// <summary>
/// The CRC the device's CRC unit computed over the inactive bank equals the manifest's. With automatic activation
/// <see cref="Swap"/> is the swap authorized on the same report (one input, one journaled event); null when an operator
/// activates later, or in journals written before it was folded in.
/// </summary>
public sealed record StagedCrcVerified(DateTimeOffset At, long? Sequence, SemanticVersion Version, uint Crc, SwapAuthorized? Swap = null)
    : IDeviceActorEvent, IFromDevice;

/// <summary>The staged image's CRC differs from the manifest: EraseStaged <see cref="EraseCommandId"/> went out, retry at <see cref="RetryAt"/>.</summary>
public sealed record CrcMismatchDetected(DateTimeOffset At, long? Sequence, int Attempt, uint ReportedCrc, uint ExpectedCrc, string EraseCommandId, DateTimeOffset RetryAt)
    : IDeviceActorEvent, IFromDevice;

/// <summary>AuthorizeSwap went out (re-sent with the same id until acknowledged or <see cref="Deadline"/>).</summary>
public sealed record SwapAuthorized(DateTimeOffset At, string CommandId, DateTimeOffset Deadline) : IDeviceActorEvent;

/// <summary>The device acknowledged the swap; it must report the new image booted by <see cref="BootDeadline"/>.</summary>
public sealed record SwapAcknowledged(DateTimeOffset At, long? Sequence, DateTimeOffset BootDeadline) : IDeviceActorEvent, IFromDevice;

/// <summary>The new image booted on trial from the other bank; the health window runs until <see cref="HealthWindowEnds"/>.</summary>
public sealed record BootConfirmed(DateTimeOffset At, long? Sequence, SemanticVersion Version, BankId ActiveBank, int TrialBootCount, DateTimeOffset HealthWindowEnds)
    : IDeviceActorEvent, IFromDevice;

/// <summary>The health window passed: CommitImage went out (re-sent with the same id until confirmed or <see cref="Deadline"/>).</summary>
public sealed record CommitCommanded(DateTimeOffset At, string CommandId, DateTimeOffset Deadline) : IDeviceActorEvent;

/// <summary>Terminal: the device confirmed the commit of the target version (Updated).</summary>
public sealed record UpdateSucceeded(DateTimeOffset At, long? Sequence, SemanticVersion Version) : IDeviceActorEvent, IFromDevice;

/// <summary>A rollback began while the device runs the new image: RollBack <see cref="CommandId"/> went out.</summary>
public sealed record RollbackCommanded(DateTimeOffset At, long? Sequence, string Reason, string CommandId, DateTimeOffset Deadline) : IDeviceActorEvent, IFromDevice;

/// <summary>A rollback began while the new image is not (known to be) running: the device's boot guard must revert it.</summary>
public sealed record RollbackAwaitingBootGuard(DateTimeOffset At, long? Sequence, string Reason, DateTimeOffset Deadline) : IDeviceActorEvent, IFromDevice;

/// <summary>The rollback deadline passed without an answer: RollbackPending (surfaced, keeps waiting, keeps re-sending).</summary>
public sealed record RollbackPendingDeclared(DateTimeOffset At) : IDeviceActorEvent;

/// <summary>Terminal: the device reported the previous image again after a rollback began (RolledBack).</summary>
public sealed record RollbackCompleted(DateTimeOffset At, long? Sequence, SemanticVersion Version, string Detail) : IDeviceActorEvent, IFromDevice;

/// <summary>Terminal: the device went back to the old image without being told (boot guard, reset): RolledBack(silent-revert).</summary>
public sealed record SilentRevertDetected(DateTimeOffset At, long? Sequence, SemanticVersion Version, string Detail) : IDeviceActorEvent, IFromDevice;

/// <summary>
/// Terminal: Failed(<see cref="Reason"/>). <see cref="EraseCommandId"/>: the erase sent with it when the last staged
/// image did not match the manifest, so a rejected image does not stay staged.
/// </summary>
public sealed record SagaFailed(DateTimeOffset At, long? Sequence, string Reason, string? EraseCommandId = null)
    : IDeviceActorEvent, IFromDevice;

/// <summary>Terminal: the device stopped answering past a deadline (Lost).</summary>
public sealed record DeviceLost(DateTimeOffset At, string Reason) : IDeviceActorEvent;

/// <summary>Terminal: the operator cancelled before the swap (Cancelled). <see cref="EraseCommandId"/> cleans the staged bank when a download had begun.</summary>
public sealed record UpdateCancelled(DateTimeOffset At, string Reason, string? EraseCommandId) : IDeviceActorEvent;
