using System.Text.Json;

namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>Body of <c>POST /api/rollouts</c>; <see cref="Policy"/> is read by the engine (docs/rollouts.md);
/// <see cref="UpdatePolicy"/>, the sagas' timing, by <see cref="UpdatePolicyRequest"/> as for <c>POST /api/updates</c>.
/// </summary>
public sealed record RolloutRequest(
    string? Id,
    string? ArtifactId,
    string? PreviousArtifactId,
    int? Seed,
    string? Reason,
    JsonElement? Policy,
    JsonElement? UpdatePolicy = null);
