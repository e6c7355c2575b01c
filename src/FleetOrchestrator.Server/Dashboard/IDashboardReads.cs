namespace FleetOrchestrator.Server.Dashboard;

/// <summary>
/// What the dashboard reads besides the rollouts: the fleet's counts, grouped by the read model's database. Asked by
/// the one <see cref="DashboardHub"/> (at most once per <see cref="DashboardSettings.FleetCountsInterval"/>), never
/// per client.
/// </summary>
public interface IDashboardReads
{
    Task<FleetCounts> FleetCountsAsync(CancellationToken cancellationToken);
}
