namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>A message for one rollout's actor; the rollout shard region routes it by <see cref="RolloutId"/>.</summary>
public interface IWithRolloutId
{
    string RolloutId { get; }
}
