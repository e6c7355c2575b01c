using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Server.Api;

/// <summary>One row of the fleet list.</summary>
/// <param name="State">The current step of the device's update saga ("idle" when none runs).</param>
/// <param name="LastOutcome">How the last finished saga ended ("succeeded", "rolledBack", "failed", "lost"…); null if none finished.</param>
/// <param name="TargetArtifactId">Artifact of the running or last saga.</param>
public sealed record DeviceSummary(
    string DeviceId,
    SemanticVersion? RunningVersion,
    bool Online,
    string State,
    string? LastOutcome,
    string? TargetArtifactId,
    DateTimeOffset? LastSeen);
