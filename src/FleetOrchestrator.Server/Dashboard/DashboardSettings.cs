namespace FleetOrchestrator.Server.Dashboard;

/// <summary>How the dashboard's push is paced; the defaults are what docs/dashboard.md measured.</summary>
/// <param name="Tick">At most one update per client per tick: events in between are coalesced.</param>
/// <param name="FleetCountsInterval">The fleet's counts are read again at most this often while devices change.</param>
/// <param name="FleetCountsSettle">After the last device event the counts are read once more this much later, since
/// the read model they come from follows the journal a little behind the feed.</param>
/// <param name="Heartbeat">A <c>ping</c> after this much silence, so proxies and the client see the stream
/// alive.</param>
/// <param name="ClientBacklog">Updates a client may have unread; past that it is disconnected (it reconnects and
/// reloads), so one stalled browser costs the server a bounded queue, not memory without end.</param>
/// <param name="MaxDevicesPerUpdate">Changed device ids carried per update.</param>
/// <param name="MaxRolloutsPerUpdate">Rollouts read per tick; the rest wait for the next tick.</param>
public sealed record DashboardSettings(
    TimeSpan Tick,
    TimeSpan FleetCountsInterval,
    TimeSpan FleetCountsSettle,
    TimeSpan Heartbeat,
    int ClientBacklog,
    int MaxDevicesPerUpdate,
    int MaxRolloutsPerUpdate)
{
    public static DashboardSettings Default { get; } = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15), 64, 100, 20);
}
