namespace FleetOrchestrator.Server.Api;

/// <summary>Body of <c>POST /api/updates</c>.</summary>
public sealed record UpdateRequest(string? ArtifactId, IReadOnlyList<string?>? DeviceIds);
