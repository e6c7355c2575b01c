namespace FleetOrchestrator.Orchestration.Rollouts.Planning;

/// <summary>A device the rollout will command, with the network cell it shares its uplink with (null: unknown).</summary>
public sealed record WaveCandidate(string DeviceId, string? Cell);
