namespace FleetOrchestrator.Orchestration.Rollouts.Effects;

/// <summary>Start the device's saga towards the rollout's target (StartUpdate, idempotent per update id).</summary>
public sealed record StartDeviceUpdate(string DeviceId, string UpdateId) : RolloutEffect(DeviceId, UpdateId);
