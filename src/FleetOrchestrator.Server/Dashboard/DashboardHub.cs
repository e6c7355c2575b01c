using System.Net.ServerSentEvents;
using System.Text.Json;
using FleetOrchestrator.Server.Api.Rollouts;
using FleetOrchestrator.Server.Json;

namespace FleetOrchestrator.Server.Dashboard;

/// <summary>
/// The one server-side subscriber of the saga and rollout feeds for every dashboard: the host's feed pump reports
/// each event here (cheap: a few set and counter updates under a lock), and <see cref="FlushAsync"/>, once per
/// <see cref="DashboardSettings.Tick"/>, turns what changed into one <see cref="DashboardUpdate"/>, reading each
/// changed rollout once and the fleet's counts at most once per interval, serializes it once and hands the same
/// text to every client. So the cost of a busy fleet is per tick, not per event and not per client.
/// </summary>
public sealed class DashboardHub(IRollouts rollouts, IDashboardReads reads, TimeProvider time,
    DashboardSettings settings)
{
    public const string UpdateEvent = "update";
    public const string HelloEvent = "hello";
    public const string PingEvent = "ping";

    private readonly Lock _gate = new();
    private readonly List<DashboardSubscription> _clients = [];
    private readonly HashSet<string> _rollouts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _outcomes = new(StringComparer.Ordinal);
    private int _deviceEvents;
    private int _rolloutEvents;
    private long _seq;
    private DateTimeOffset _lastDeviceEventAt = DateTimeOffset.MinValue;
    private DateTimeOffset _fleetReadAt = DateTimeOffset.MinValue;
    private DateTimeOffset _lastSentAt;
    private FleetCounts? _fleet;
    private Action? _clientsChanged;

    public DashboardSettings Settings => settings;

    public int ClientCount
    {
        get { lock (_gate) return _clients.Count; }
    }

    /// <summary>
    /// Called after clients come or go (read <see cref="ClientCount"/> for the count now: calls may cross), so the
    /// feeds are followed only while someone watches. One handler; it must not block.
    /// </summary>
    public void OnClientsChanged(Action handler) => _clientsChanged = handler;

    /// <summary>A device event from the saga feed; <paramref name="concludedOutcome"/> when it ended a saga.</summary>
    public void DeviceEventSeen(string deviceId, string? rolloutId, string? concludedOutcome)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        lock (_gate)
        {
            _deviceEvents++;
            _lastDeviceEventAt = time.GetUtcNow();
            if (_devices.Count < settings.MaxDevicesPerUpdate) _devices.Add(deviceId);
            if (rolloutId is not null) _rollouts.Add(rolloutId);
            if (concludedOutcome is not null)
                _outcomes[concludedOutcome] = _outcomes.GetValueOrDefault(concludedOutcome) + 1;
        }
    }

    /// <summary>A rollout event from the rollout feed.</summary>
    public void RolloutEventSeen(string rolloutId)
    {
        ArgumentNullException.ThrowIfNull(rolloutId);
        lock (_gate)
        {
            _rolloutEvents++;
            _rollouts.Add(rolloutId);
        }
    }

    /// <summary>A new client; its first event is <c>hello</c> (the fleet's counts now).</summary>
    public async Task<DashboardSubscription> SubscribeAsync(CancellationToken cancellationToken)
    {
        var fleet = await CurrentFleetAsync(cancellationToken).ConfigureAwait(false);
        var client = new DashboardSubscription(settings.ClientBacklog, Leave);
        lock (_gate)
        {
            client.Offer(Item(new DashboardHello(_seq + 1, fleet, settings), HelloEvent));
            _clients.Add(client);
        }
        _clientsChanged?.Invoke();
        return client;
    }

    /// <summary>The fleet's counts as last read (read now when never read).</summary>
    public async Task<FleetCounts> CurrentFleetAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
            if (_fleet is not null) return _fleet;
        var fleet = await reads.FleetCountsAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate) _fleet ??= fleet;
        return fleet;
    }

    /// <summary>
    /// Sends what changed since the last flush to every client, or a ping after
    /// <see cref="DashboardSettings.Heartbeat"/> of silence; returns the update sent, or null.
    /// </summary>
    public async Task<DashboardUpdate?> FlushAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (TakeChanges(now) is not { } changes) return null;
        var (rolloutIds, outcomes, devices, deviceEvents, rolloutEvents, readFleet) = changes;

        var details = new List<RolloutDetail>(rolloutIds.Count);
        foreach (var id in rolloutIds)
            if (await rollouts.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } detail)
                details.Add(detail);
        var fleet = readFleet ? await reads.FleetCountsAsync(cancellationToken).ConfigureAwait(false) : null;

        DashboardUpdate sent;
        bool dropped;
        lock (_gate)
        {
            if (fleet is not null) _fleet = fleet;
            sent = new DashboardUpdate(++_seq, now, details, outcomes, fleet, devices, deviceEvents, rolloutEvents);
            dropped = Broadcast(Item(sent, UpdateEvent));
            _lastSentAt = now;
        }
        if (dropped) _clientsChanged?.Invoke();
        return sent;
    }

    /// <summary>What changed since the last flush (and resets it), or null when nothing did; then a ping goes out
    /// after <see cref="DashboardSettings.Heartbeat"/> of silence.</summary>
    private (List<string> Rollouts, Dictionary<string, int> Outcomes, List<string> Devices, int DeviceEvents,
        int RolloutEvents, bool ReadFleet)? TakeChanges(DateTimeOffset now)
    {
        var dropped = false;
        try
        {
            lock (_gate)
            {
                var readFleet = _lastDeviceEventAt != DateTimeOffset.MinValue
                    && _lastDeviceEventAt + settings.FleetCountsSettle >= _fleetReadAt
                    && now - _fleetReadAt >= settings.FleetCountsInterval;
                if (_rollouts.Count == 0 && _outcomes.Count == 0 && _deviceEvents == 0 && _rolloutEvents == 0
                    && !readFleet)
                {
                    if (_clients.Count > 0 && now - _lastSentAt >= settings.Heartbeat)
                    {
                        dropped = Broadcast(new SseItem<string>("{}", PingEvent));
                        _lastSentAt = now;
                    }
                    return null;
                }
                List<string> rolloutIds = [.. _rollouts.Take(settings.MaxRolloutsPerUpdate)];
                foreach (var id in rolloutIds) _rollouts.Remove(id);
                var outcomes = new Dictionary<string, int>(_outcomes, StringComparer.Ordinal);
                _outcomes.Clear();
                List<string> devices = [.. _devices];
                _devices.Clear();
                var events = (_deviceEvents, _rolloutEvents);
                (_deviceEvents, _rolloutEvents) = (0, 0);
                if (readFleet) _fleetReadAt = now;
                return (rolloutIds, outcomes, devices, events._deviceEvents, events._rolloutEvents, readFleet);
            }
        }
        finally
        {
            if (dropped) _clientsChanged?.Invoke();
        }
    }

    /// <summary>Queues the item for every client; true when a client that fell behind was dropped.</summary>
    private bool Broadcast(SseItem<string> item)
    {
        var dropped = false;
        for (var i = _clients.Count - 1; i >= 0; i--)
        {
            if (_clients[i].Offer(item)) continue;
            _clients.RemoveAt(i);
            dropped = true;
        }
        ForgetFleetWhenUnwatched();
        return dropped;
    }

    private static SseItem<string> Item<T>(T payload, string eventType) =>
        new(JsonSerializer.Serialize(payload, FleetJson.Options), eventType);

    private void Leave(DashboardSubscription client)
    {
        bool removed;
        lock (_gate)
        {
            removed = _clients.Remove(client);
            ForgetFleetWhenUnwatched();
        }
        if (removed) _clientsChanged?.Invoke();
    }

    /// <summary>Nobody watching, nobody follows the feeds: the counts would go stale, so the next client reads them
    /// afresh.</summary>
    private void ForgetFleetWhenUnwatched()
    {
        if (_clients.Count == 0) _fleet = null;
    }
}
