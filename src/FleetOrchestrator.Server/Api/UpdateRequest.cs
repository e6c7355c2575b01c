using System.Text.Json;

namespace FleetOrchestrator.Server.Api;

/// <summary>Body of <c>POST /api/updates</c>; <see cref="Policy"/> is read by <see cref="UpdatePolicyRequest"/>.
/// </summary>
public sealed record UpdateRequest(string? ArtifactId, IReadOnlyList<string?>? DeviceIds, JsonElement? Policy = null);
