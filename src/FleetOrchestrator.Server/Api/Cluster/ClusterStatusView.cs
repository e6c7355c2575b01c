namespace FleetOrchestrator.Server.Api.Cluster;

/// <summary>
/// <c>GET /api/cluster</c>: the answering node (<paramref name="Self"/>), the leader, and every member as this node
/// sees it. <paramref name="ShardsComplete"/> is false when a region did not answer the shard count in time (a node
/// that just died): the counts then cover only the regions that did.
/// </summary>
public sealed record ClusterStatusView(
    string Self,
    string? Leader,
    IReadOnlyList<ClusterMemberView> Members,
    bool ShardsComplete);
