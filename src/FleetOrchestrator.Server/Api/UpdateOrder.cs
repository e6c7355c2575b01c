using FleetOrchestrator.Server.Artifacts;

namespace FleetOrchestrator.Server.Api;

/// <summary>
/// Update these devices to this artifact. Device ids are validated and distinct; <see cref="Policy"/> overrides the
/// default saga timing for this order only.
/// </summary>
public sealed record UpdateOrder(
    StoredArtifact Artifact, IReadOnlyList<string> DeviceIds, UpdatePolicyOverrides? Policy = null);
