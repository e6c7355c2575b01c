namespace FleetOrchestrator.Orchestration.Rollouts.Actors;

/// <summary>Timer message for the rollout's one persisted deadline; stale unless <see cref="Generation"/> is the
/// actor's current one.</summary>
public sealed record RolloutWake(long Generation);
