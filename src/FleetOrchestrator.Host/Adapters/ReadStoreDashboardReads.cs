using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Server.Dashboard;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>The dashboard's fleet counts: one grouped query of the read model
/// (<see cref="FleetReadStore.SummaryAsync"/>).</summary>
internal sealed class ReadStoreDashboardReads(FleetReadStore store) : IDashboardReads
{
    public async Task<FleetCounts> FleetCountsAsync(CancellationToken cancellationToken)
    {
        var summary = await store.SummaryAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return new FleetCounts(summary.Devices, summary.ByRunningVersion,
            summary.ByPhase.ToDictionary(p => p.Key.ToString(), p => p.Value),
            summary.ByOutcome.ToDictionary(o => o.Key.ToString(), o => o.Value));
    }
}
