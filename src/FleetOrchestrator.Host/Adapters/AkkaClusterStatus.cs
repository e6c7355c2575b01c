using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using FleetOrchestrator.Server.Api.Cluster;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>
/// <see cref="IClusterStatus"/> from Akka.Cluster's view of the membership and Cluster.Sharding's statistics of the
/// device and rollout regions (each region answers for the shards it hosts; a dead node's region does not answer
/// within <see cref="StatsTimeout"/>, which is why the view says whether the counts are complete).
/// </summary>
internal sealed class AkkaClusterStatus(ActorSystem system, Func<IActorRef> devices, Func<IActorRef> rollouts,
    string? shardRole) : IClusterStatus
{
    private static readonly TimeSpan StatsTimeout = TimeSpan.FromSeconds(3);

    public async Task<ClusterStatusView> ReadAsync(CancellationToken cancellationToken)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var deviceStats = StatsAsync(devices(), cancellationToken);
        var rolloutStats = StatsAsync(rollouts(), cancellationToken);
        var (deviceRegions, rolloutRegions) = (await deviceStats.ConfigureAwait(false),
            await rolloutStats.ConfigureAwait(false));
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var members = state.Members.Select(m =>
        {
            var d = Count(deviceRegions, m.Address);
            var r = Count(rolloutRegions, m.Address);
            return new ClusterMemberView(m.Address.ToString(), m.Status.ToString().ToLowerInvariant(),
                !unreachable.Contains(m.Address), m.Roles.Order(StringComparer.Ordinal).ToList(),
                d.Shards, d.Entities, r.Shards, r.Entities, ShardIds(deviceRegions, m.Address));
        }).ToList();
        var hosting = state.Members.Where(m => m.Status == Akka.Cluster.MemberStatus.Up
                                               && !unreachable.Contains(m.Address)
                                               && (shardRole is null || m.HasRole(shardRole)))
            .Select(m => m.Address).ToList();
        var complete = deviceRegions is not null && rolloutRegions is not null
                       && hosting.All(deviceRegions.ContainsKey) && hosting.All(rolloutRegions.ContainsKey);
        return new ClusterStatusView(cluster.SelfAddress.ToString(), state.Leader?.ToString(), members, complete);
    }

    private static async Task<IImmutableDictionary<Address, ShardRegionStats>?> StatsAsync(IActorRef region,
        CancellationToken cancellationToken)
    {
        try
        {
            var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(StatsTimeout),
                StatsTimeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            return stats.Regions;
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    private static List<string> ShardIds(IImmutableDictionary<Address, ShardRegionStats>? regions, Address address) =>
        regions is not null && regions.TryGetValue(address, out var stats)
            ? stats.Stats.Keys.Order(StringComparer.Ordinal).ToList()
            : [];

    private static (int Shards, int Entities) Count(IImmutableDictionary<Address, ShardRegionStats>? regions,
        Address address) =>
        regions is not null && regions.TryGetValue(address, out var stats)
            ? (stats.Stats.Count, stats.Stats.Values.Sum())
            : (0, 0);
}
