namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

public sealed record PauseRollout(string RolloutId, OperatorAction By) : IWithRolloutId, IRolloutMessage;
