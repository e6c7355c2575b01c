namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>A targeted device the rollout will not command: <see cref="Reason"/> is a stable key (never-seen,
/// up-to-date, incompatible, in-rollout, busy), <see cref="Detail"/> says it for people.</summary>
public sealed record RolloutPlanExclusion(string DeviceId, string Reason, string Detail);
