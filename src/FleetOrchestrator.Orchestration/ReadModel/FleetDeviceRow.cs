using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.ReadModel;

/// <summary>
/// One device in the fleet read model: what it runs (as last reported) and where its latest saga stands. Built from
/// the journal by <see cref="FleetProjection"/>, never by asking the device actor.
/// </summary>
public sealed record FleetDeviceRow(
    string DeviceId,
    SemanticVersion? RunningVersion,
    BankId? ActiveBank,
    ImageState? ImageState,
    string? HardwareTarget,
    bool? Online,
    DateTimeOffset? LastSeenAt,
    string? UpdateId,
    string? RolloutId,
    SemanticVersion? TargetVersion,
    string? TargetArtifactId,
    SagaPhase Phase,
    UpdateOutcome? Outcome,
    string? OutcomeReason,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The hardware facts of the last report (ROM bootloader, silicon, RDP, flash): what a rollout's plan
    /// checks for compatibility without asking the device.</summary>
    public HardwareInfo? Hardware { get; init; }

    public static FleetDeviceRow Empty(string deviceId, DateTimeOffset at) =>
        new(deviceId, null, null, null, null, null, null, null, null, null, null, SagaPhase.None, null, null, at);
}
