namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

public sealed record CancelRollout(string RolloutId, OperatorAction By) : IWithRolloutId, IRolloutMessage;
