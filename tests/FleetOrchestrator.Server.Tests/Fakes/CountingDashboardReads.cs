using FleetOrchestrator.Server.Dashboard;

namespace FleetOrchestrator.Server.Tests.Fakes;

/// <summary>Fleet counts a test sets, counting how often the hub reads them.</summary>
internal sealed class CountingDashboardReads : IDashboardReads
{
    private int _reads;

    public FleetCounts Counts { get; set; } = new(3, new Dictionary<string, int> { ["1.0.0"] = 3 },
        new Dictionary<string, int> { ["None"] = 3 }, new Dictionary<string, int>());

    public int Reads => Volatile.Read(ref _reads);

    public Task<FleetCounts> FleetCountsAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult(Counts);
    }
}
