namespace FleetOrchestrator.Orchestration.Rollouts.Effects;

/// <summary>
/// What a rollout decision asks the world to do, run by the actor after the decision's events are stored (a crash in
/// between re-issues it on recovery from the state: <see cref="RolloutEffects.Outstanding"/>).
/// </summary>
public abstract record RolloutEffect(string DeviceId, string UpdateId);
