namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>Returns every device this rollout updated to its previous image.</summary>
public sealed record RollBackRollout(string RolloutId, OperatorAction By) : IWithRolloutId, IRolloutMessage;
