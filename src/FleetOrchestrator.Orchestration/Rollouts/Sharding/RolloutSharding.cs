using Akka.Actor;
using Akka.Cluster.Sharding;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Rollouts.Actors;

namespace FleetOrchestrator.Orchestration.Rollouts.Sharding;

/// <summary>
/// Starts the rollout shard region on the plain-HOCON route (cluster.conf's sharding settings: remember-entities on
/// the "sharding" journal), beside <c>DeviceSharding</c>. The Akka.Hosting route is <c>AddRollouts</c>.
/// </summary>
public static class RolloutSharding
{
    public static Task<IActorRef> StartAsync(ActorSystem system, RolloutActorSettings settings,
        int? maxShards = null)
    {
        var extractor = new RolloutMessageExtractor(maxShards ?? new RolloutOptions().MaxShards);
        return ClusterSharding.Get(system).StartAsync(RolloutRegion.TypeName, id => RolloutActor.PropsFor(id, settings),
            ClusterShardingSettings.Create(system), extractor);
    }
}
