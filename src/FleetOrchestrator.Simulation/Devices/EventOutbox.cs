using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;

namespace FleetOrchestrator.Simulation.Devices;

/// <summary>
/// Everything a device publishes goes through here, one publish at a time: it stamps the <c>seq</c>
/// (boot epoch × 2^32 + n, PROTOCOL.md §7.3, strictly increasing over the device's life), applies the link's uplink
/// latency and loss (a lost packet is sent again, later), and the message faults (every event twice; an event held back and sent after the next one).
/// A publish while the link is down is lost, as on a real modem.
/// </summary>
internal sealed class EventOutbox
{
    // After this many losses in a row TCP gives up and the connection breaks; the session's re-send on the reconnect
    // delivers the publish, which the model shortens to sending it now.
    private const int MaxRetransmissions = 6;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly DeviceMqttConnection _connection;
    private readonly DeviceContext _context;
    private long _epoch = -1;
    private long _n;
    private DeviceEvent? _held;

    public EventOutbox(DeviceMqttConnection connection, DeviceContext context)
    {
        _connection = connection;
        _context = context;
    }

    /// <summary>Publishes the event built with the next <c>seq</c> on <c>…/evt</c>.</summary>
    public async Task<DeviceEvent> PublishEventAsync(Func<long, DeviceEvent> build, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var evt = build(NextSequence());
            if (_context.Faults.ReorderedMessages && _held is null && _context.PublishChance(_context.FaultSettings.ReorderProbability))
            {
                _held = evt; // goes out right after the next event, or at the end of this step
                return evt;
            }
            await SendEventAsync(evt, cancellationToken).ConfigureAwait(false);
            if (_held is { } held)
            {
                _held = null;
                await SendEventAsync(held, cancellationToken).ConfigureAwait(false);
            }
            return evt;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The retained state report on <c>…/state</c> (its own seq; never reordered, it is a snapshot).</summary>
    public async Task PublishStateAsync(DeviceStateReport state, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var report = new StateReported(null, NextSequence(), state);
            await SendAsync(() => _connection.PublishStateAsync(report, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends an event held back by the reorder fault, if any: a step never ends with an answer unsent.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_held is { } held)
            {
                _held = null;
                await SendEventAsync(held, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets a held event: the MCU reset and its RAM is gone.</summary>
    public void DropHeld() => _held = null;

    private long NextSequence()
    {
        long epoch = _context.BootEpoch;
        if (epoch != _epoch)
        {
            _epoch = epoch;
            _n = 0;
        }
        return (epoch << 32) + _n++;
    }

    private async Task SendEventAsync(DeviceEvent evt, CancellationToken cancellationToken)
    {
        await SendAsync(() => _connection.PublishEventAsync(evt, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (_context.Faults.DuplicateMessages)
            await SendAsync(() => _connection.PublishEventAsync(evt, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task SendAsync(Func<Task> publish, CancellationToken cancellationToken)
    {
        await _context.Time.WaitAsync(_context.Link.OneWayLatency, cancellationToken).ConfigureAwait(false);
        // A packet the radio loses costs time, not the message: TCP sends it again after its retransmission timeout
        // (doubling on every further loss), and an MQTT client on a persistent session re-sends an unacknowledged QoS 1
        // PUBLISH after a reconnect anyway (PROTOCOL.md §2). Dropping it here would lose facts the protocol never
        // repeats (booted, health, staged): the saga would then roll back or re-download an update that went fine.
        var timeout = _context.Link.RetransmissionTimeout;
        for (int lost = 0; lost < MaxRetransmissions && _context.PublishChance(_context.Link.DropProbability); lost++)
        {
            _context.Counters.CountDropped();
            await _context.Time.WaitAsync(timeout + _context.Link.OneWayLatency, cancellationToken).ConfigureAwait(false);
            timeout *= 2;
        }
        if (!_connection.IsConnected)
        {
            _context.Counters.CountLostOffline();
            return;
        }
        try
        {
            await publish().ConfigureAwait(false);
            _context.Counters.CountPublished();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The link went down under the publish: lost, like a packet the modem never got out.
            _context.Counters.CountLostOffline();
        }
    }
}
