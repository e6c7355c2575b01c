using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Server.Api;

/// <summary>Per-device answers to an update order, with the counts an operator reads first.</summary>
public sealed record UpdateResponse(
    string ArtifactId,
    SemanticVersion Version,
    int Accepted,
    int Refused,
    IReadOnlyList<UpdateDecision> Devices);
