using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;

namespace FleetOrchestrator.Mqtt.Tests.Support;

/// <summary>One call the transport made on <see cref="IDeviceTrafficHandler"/>.</summary>
internal abstract record Traffic;
internal sealed record EventTraffic(string DeviceId, DeviceEvent Event) : Traffic;
internal sealed record StateTraffic(string DeviceId, DeviceStateReport State) : Traffic;
internal sealed record PresenceTraffic(string DeviceId, DevicePresence Presence) : Traffic;
internal sealed record RejectedTraffic(string Topic, string? ClientId, string Reason) : Traffic;

/// <summary>Records every handler call and lets a test await the first one matching a predicate, with a deadline.</summary>
internal sealed class RecordingTrafficHandler : IDeviceTrafficHandler
{
    private readonly object _gate = new();
    private readonly List<Traffic> _seen = [];
    private readonly List<(Func<Traffic, bool> Match, TaskCompletionSource<Traffic> Done)> _waiters = [];

    /// <summary>Called after each record, outside the lock (for tests that count across several handlers).</summary>
    public Action<Traffic>? Recorded { get; init; }

    public IReadOnlyList<Traffic> Seen
    {
        get { lock (_gate) return _seen.ToList(); }
    }

    public void OnEvent(string deviceId, DeviceEvent deviceEvent) => Record(new EventTraffic(deviceId, deviceEvent));
    public void OnState(string deviceId, DeviceStateReport state) => Record(new StateTraffic(deviceId, state));
    public void OnPresence(string deviceId, DevicePresence presence) => Record(new PresenceTraffic(deviceId, presence));
    public void OnRejected(string topic, string? clientId, string reason) => Record(new RejectedTraffic(topic, clientId, reason));

    public async Task<T> WaitFor<T>(Func<T, bool> match, TimeSpan? timeout = null) where T : Traffic
    {
        var done = new TaskCompletionSource<Traffic>(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<Traffic, bool> predicate = t => t is T typed && match(typed);
        lock (_gate)
        {
            var already = _seen.FirstOrDefault(predicate);
            if (already is not null) return (T)already;
            _waiters.Add((predicate, done));
        }
        try
        {
            return (T)await done.Task.WaitAsync(timeout ?? Deadline.Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no {typeof(T).Name} matching within {timeout ?? Deadline.Default}; seen: {string.Join("; ", Seen)}");
        }
    }

    private void Record(Traffic traffic)
    {
        List<TaskCompletionSource<Traffic>> toComplete = [];
        lock (_gate)
        {
            _seen.Add(traffic);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(traffic)) continue;
                toComplete.Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var done in toComplete) done.TrySetResult(traffic);
        Recorded?.Invoke(traffic);
    }
}
