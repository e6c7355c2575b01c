using Akka.Cluster.Sharding;
using FleetOrchestrator.Orchestration.Rollouts.Messages;

namespace FleetOrchestrator.Orchestration.Rollouts.Sharding;

/// <summary>Routes by rollout id (<see cref="IWithRolloutId"/>); the shard count must never change while the cluster
/// lives.</summary>
public sealed class RolloutMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => (message as IWithRolloutId)?.RolloutId;
}
