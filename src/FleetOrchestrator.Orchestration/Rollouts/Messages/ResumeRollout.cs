namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

public sealed record ResumeRollout(string RolloutId, OperatorAction By) : IWithRolloutId, IRolloutMessage;
