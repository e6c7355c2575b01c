namespace FleetOrchestrator.Orchestration.Rollouts.Decisions;

/// <summary>Input: the device actor refused the rollout's StartUpdate (busy with another update, or invalid).</summary>
public sealed record DeviceStartRefused(string DeviceId, string UpdateId, string Reason);
