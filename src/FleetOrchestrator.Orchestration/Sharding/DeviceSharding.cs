using Akka.Actor;
using Akka.Cluster.Sharding;
using FleetOrchestrator.Orchestration.Devices;

namespace FleetOrchestrator.Orchestration.Sharding;

/// <summary>
/// Starts the device shard region on the plain-HOCON route (cluster.conf carries ddata, remember-entities with the
/// eventsourced store on the "sharding" journal). The Akka.Hosting route is <c>AddDeviceSagas</c>.
/// </summary>
public static class DeviceSharding
{
    public static Task<IActorRef> StartAsync(ActorSystem system, DeviceActorSettings settings, int? maxShards = null)
    {
        var shards = maxShards ?? system.Settings.Config.GetInt("fleet.devices.max-shards", 100);
        return ClusterSharding.Get(system).StartAsync(DeviceRegion.TypeName, id => DeviceActor.PropsFor(id, settings),
            ClusterShardingSettings.Create(system), new DeviceMessageExtractor(shards));
    }
}
