using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Server.Api;

/// <summary>
/// Per-device answers to an update order, with the counts an operator reads first. <see cref="Refused"/> counts
/// refused and unknown devices; <see cref="Pending"/> the devices whose answer is still open (HTTP 202).
/// </summary>
public sealed record UpdateResponse(
    string ArtifactId,
    SemanticVersion Version,
    int Accepted,
    int Refused,
    IReadOnlyList<UpdateDecision> Devices,
    int Pending = 0);
