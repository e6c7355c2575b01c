namespace FleetOrchestrator.Orchestration.Hosting;

/// <summary>Options of <c>AddRollouts</c>.</summary>
public sealed record RolloutOptions
{
    /// <summary>Shard count of the rollout region. Never change it while the cluster or its journal lives.</summary>
    public int MaxShards { get; init; } = 20;

    /// <summary>A rollout of 10,000 devices snapshots about 2.4 MB of state (JSON): not too often.</summary>
    public int SnapshotEvery { get; init; } = 1000;

    /// <summary>How often an unanswered StartUpdate / ActivateUpdate / rollback start is re-sent (same id).</summary>
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a running rollout looks for devices that match its target since it started (one read of
    /// the fleet's rows and tags per check).</summary>
    public TimeSpan JoinCheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The role a node needs to host rollout shards (<see cref="FleetClusterOptions.ShardRole"/>).</summary>
    public string? ShardRole { get; init; }
}
