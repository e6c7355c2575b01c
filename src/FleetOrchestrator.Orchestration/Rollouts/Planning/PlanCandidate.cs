using FleetOrchestrator.Orchestration.ReadModel;

namespace FleetOrchestrator.Orchestration.Rollouts.Planning;

/// <summary>A device of the fleet as a plan sees it: its read-model row and its tags.</summary>
public sealed record PlanCandidate(FleetDeviceRow Row, IReadOnlyDictionary<string, string> Tags);
