using System.Text.Json;

namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>Body of <c>POST /api/rollouts</c>; <see cref="Policy"/> is read by the engine (docs/rollouts.md).</summary>
public sealed record RolloutRequest(
    string? Id,
    string? ArtifactId,
    string? PreviousArtifactId,
    int? Seed,
    string? Reason,
    JsonElement? Policy);
