using System.Net.ServerSentEvents;
using System.Threading.Channels;

namespace FleetOrchestrator.Server.Dashboard;

/// <summary>
/// One client of the hub: a bounded queue of ready-serialized events. Completed by the hub when the client falls
/// <see cref="DashboardSettings.ClientBacklog"/> updates behind, and by its owner's dispose when the client leaves.
/// </summary>
public sealed class DashboardSubscription : IDisposable
{
    private readonly Channel<SseItem<string>> _queue;
    private readonly Action<DashboardSubscription> _leave;

    internal DashboardSubscription(int backlog, Action<DashboardSubscription> leave)
    {
        _queue = Channel.CreateBounded<SseItem<string>>(new BoundedChannelOptions(backlog)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _leave = leave;
    }

    public ChannelReader<SseItem<string>> Events => _queue.Reader;

    /// <summary>True when the hub dropped this client for falling behind.</summary>
    public bool Overrun { get; private set; }

    /// <summary>False when the queue was full: the client is then completed (see <see cref="Overrun"/>).</summary>
    internal bool Offer(SseItem<string> item)
    {
        if (_queue.Writer.TryWrite(item)) return true;
        Overrun = true;
        _queue.Writer.TryComplete();
        return false;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _leave(this);
    }
}
