using FleetOrchestrator.Server.Artifacts;

namespace FleetOrchestrator.Server.Api;

/// <summary>Update these devices to this artifact. Device ids are validated and distinct.</summary>
public sealed record UpdateOrder(StoredArtifact Artifact, IReadOnlyList<string> DeviceIds);
