namespace FleetOrchestrator.Server.Api.Cluster;

/// <summary>
/// One member: its address, Akka's member status (<c>joining</c>, <c>up</c>, <c>leaving</c>, <c>exiting</c>,
/// <c>down</c>…), whether this node can reach it, its roles, and how many device and rollout shards (and their
/// entities: sagas and rollouts in memory) it hosts. <paramref name="DeviceShardIds"/> names the device shards (a
/// device's shard is its id's hash modulo the shard count, see DeviceMessageExtractor): which sagas live where.
/// </summary>
public sealed record ClusterMemberView(
    string Address,
    string Status,
    bool Reachable,
    IReadOnlyList<string> Roles,
    int DeviceShards,
    int DeviceEntities,
    int RolloutShards,
    int RolloutEntities,
    IReadOnlyList<string> DeviceShardIds);
