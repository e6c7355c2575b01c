using System.Text.Json;
using FleetOrchestrator.Server.Artifacts;

namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>
/// A rollout as submitted: the stored artifact, the previous image for fleet rollback (optional), the policy document
/// (read by the engine), and who asks and why; <see cref="SagaPolicy"/> overrides the orchestrator's saga timing for
/// this rollout's devices (null: its defaults). <see cref="RolloutId"/> and <see cref="Seed"/> are chosen when null.
/// </summary>
public sealed record RolloutOrder(
    string? RolloutId,
    StoredArtifact Artifact,
    StoredArtifact? Previous,
    int? Seed,
    JsonElement Policy,
    string Who,
    string Why,
    UpdatePolicyOverrides? SagaPolicy = null);
