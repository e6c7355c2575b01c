using System.Collections.Immutable;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Devices.Messages;

/// <summary>Answer to <see cref="GetDeviceSaga"/>: what the device runs and the current (or last) saga with its history.
/// <see cref="EventCount"/> is the number of events this device has in the journal.</summary>
public sealed record DeviceSagaView(
    string DeviceId,
    RunningImage? Running,
    DeviceStateReport? LastReport,
    bool? Online,
    DateTimeOffset? LastSeenAt,
    SagaView? Saga,
    long EventCount) : IDeviceMessage;

/// <summary>One saga as the REST API shows it. <see cref="DownloadedBytes"/> is the last coarse progress (not persisted).</summary>
public sealed record SagaView(
    string UpdateId,
    string? RolloutId,
    SemanticVersion TargetVersion,
    string TargetArtifactId,
    SagaPhase Phase,
    UpdateOutcome? Outcome,
    string? OutcomeReason,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? Deadline,
    int DownloadAttempt,
    int DownloadedBytes,
    string? RollbackReason,
    ImmutableList<SagaTransition> History);
