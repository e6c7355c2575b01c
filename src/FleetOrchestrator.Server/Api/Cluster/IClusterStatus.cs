namespace FleetOrchestrator.Server.Api.Cluster;

/// <summary>What the answering node knows of its cluster: members, their state and the shards each one hosts.</summary>
public interface IClusterStatus
{
    Task<ClusterStatusView> ReadAsync(CancellationToken cancellationToken);
}
