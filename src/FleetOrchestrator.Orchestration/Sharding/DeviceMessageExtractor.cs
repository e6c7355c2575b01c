using Akka.Cluster.Sharding;
using FleetOrchestrator.Orchestration.Devices.Messages;

namespace FleetOrchestrator.Orchestration.Sharding;

/// <summary>
/// Routes by device id (<see cref="IWithDeviceId"/>). HashCodeMessageExtractor already unwraps ShardingEnvelope and
/// handles StartEntity (remember-entities). The shard count is part of the cluster's (and the remember-entities
/// journal's) identity: never change it while either lives.
/// </summary>
public sealed class DeviceMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => (message as IWithDeviceId)?.DeviceId;
}
