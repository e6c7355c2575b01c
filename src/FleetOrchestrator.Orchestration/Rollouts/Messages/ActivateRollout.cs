namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>Download-only: authorize swaps, wave by wave under the gates.</summary>
public sealed record ActivateRollout(string RolloutId, OperatorAction By) : IWithRolloutId, IRolloutMessage;
