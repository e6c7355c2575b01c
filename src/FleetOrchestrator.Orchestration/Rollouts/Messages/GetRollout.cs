namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>Asks a rollout for its <see cref="RolloutView"/>.</summary>
public sealed record GetRollout(string RolloutId) : IWithRolloutId, IRolloutMessage;
