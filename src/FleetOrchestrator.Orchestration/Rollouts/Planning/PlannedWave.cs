namespace FleetOrchestrator.Orchestration.Rollouts.Planning;

/// <summary>One wave of a plan: its name and the devices it will command, in the order it commands them.</summary>
public sealed record PlannedWave(string Name, IReadOnlyList<string> DeviceIds);
