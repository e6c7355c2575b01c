namespace FleetOrchestrator.Orchestration.Rollouts.Effects;

/// <summary>Download-only: authorize the staged device's swap (ActivateUpdate).</summary>
public sealed record ActivateDevice(string DeviceId, string UpdateId) : RolloutEffect(DeviceId, UpdateId);
