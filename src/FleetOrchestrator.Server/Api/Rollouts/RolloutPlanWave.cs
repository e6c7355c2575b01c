namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>One planned wave: its name and its devices.</summary>
public sealed record RolloutPlanWave(string Name, IReadOnlyList<string> DeviceIds);
