using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;

namespace FleetOrchestrator.Simulation.Tests.Support;

/// <summary>
/// The scripted orchestrator's ears: records everything the embedded broker hands over and lets a test await the
/// first message matching a predicate (already received or still to come), with a deadline.
/// </summary>
internal sealed class RecordingTraffic : IDeviceTrafficHandler
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private readonly List<(string DeviceId, object Message)> _received = [];
    private readonly List<(Func<string, object, bool> Match, TaskCompletionSource<object> Done)> _waiters = [];
    private readonly List<string> _rejected = [];

    public void OnEvent(string deviceId, DeviceEvent deviceEvent) => Add(deviceId, deviceEvent);
    public void OnState(string deviceId, DeviceStateReport state) => Add(deviceId, state);
    public void OnPresence(string deviceId, DevicePresence presence) => Add(deviceId, presence);

    public void OnRejected(string topic, string? clientId, string reason)
    {
        lock (_gate) _rejected.Add($"{topic} from {clientId}: {reason}");
    }

    public IReadOnlyList<string> Rejected
    {
        get { lock (_gate) return [.. _rejected]; }
    }

    /// <summary>Everything of type <typeparamref name="T"/> received from <paramref name="deviceId"/>, in arrival order.</summary>
    public IReadOnlyList<T> All<T>(string deviceId)
    {
        lock (_gate) return [.. _received.Where(r => r.DeviceId == deviceId).Select(r => r.Message).OfType<T>()];
    }

    /// <summary>The first <typeparamref name="T"/> from <paramref name="deviceId"/> that matches, waiting up to <see cref="Deadline"/>.</summary>
    public async Task<T> WaitFor<T>(string deviceId, Func<T, bool>? match = null) where T : class
    {
        match ??= _ => true;
        bool Matches(string id, object m) => id == deviceId && m is T t && match(t);
        TaskCompletionSource<object> done;
        lock (_gate)
        {
            foreach (var (id, m) in _received)
                if (Matches(id, m)) return (T)m;
            done = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Matches, done));
        }
        try
        {
            return (T)await done.Task.WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            string seen;
            lock (_gate) seen = string.Join("\n  ", _received.Where(r => r.DeviceId == deviceId).Select(r => r.Message.ToString()));
            throw new TimeoutException($"no matching {typeof(T).Name} from {deviceId} within {Deadline.TotalSeconds} s; received:\n  {seen}");
        }
    }

    /// <summary>The <paramref name="count"/>-th matching <typeparamref name="T"/> (counting from 1, in arrival order).</summary>
    public Task<T> WaitForNth<T>(string deviceId, int count, Func<T, bool> match) where T : class
    {
        int seen = 0;
        return WaitFor<T>(deviceId, m => match(m) && ++seen == count);
    }

    /// <summary>The answer of type <typeparamref name="T"/> to command <paramref name="commandId"/>.</summary>
    public Task<T> Answer<T>(string deviceId, string commandId, Func<T, bool>? match = null) where T : DeviceEvent =>
        WaitFor<T>(deviceId, e => e.CommandId == commandId && (match is null || match(e)));

    private void Add(string deviceId, object message)
    {
        List<TaskCompletionSource<object>> complete = [];
        lock (_gate)
        {
            _received.Add((deviceId, message));
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(deviceId, message)) continue;
                complete.Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var tcs in complete) tcs.TrySetResult(message);
    }
}
