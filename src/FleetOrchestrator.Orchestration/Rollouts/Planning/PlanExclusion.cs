namespace FleetOrchestrator.Orchestration.Rollouts.Planning;

/// <summary>
/// A targeted device the rollout will not command. <see cref="Reason"/> is a stable key (<c>never-seen</c>,
/// <c>up-to-date</c>, <c>incompatible</c>, <c>in-rollout</c>, <c>busy</c>); <see cref="Detail"/> says it for people.
/// </summary>
public sealed record PlanExclusion(string DeviceId, string Reason, string Detail);
