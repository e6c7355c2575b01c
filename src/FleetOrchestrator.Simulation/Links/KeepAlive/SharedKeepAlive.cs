namespace FleetOrchestrator.Simulation.Links.KeepAlive;

/// <summary>
/// Keeps many MQTT connections alive from one timer: every registered connection is pinged (PINGREQ) once per half
/// keep-alive period, and a ping that is not answered within that half period ends the connection, as MQTT asks.
/// </summary>
/// <remarks>
/// MQTTnet's client runs a loop per connection that wakes every 250 ms to check whether a ping is due. A simulated
/// fleet of 10,000 devices thus ran 40,000 timer callbacks a second (a Task.Delay, a cancellation registration and a
/// state-machine step each), about 7 % of a 10,000-device simulation's CPU, to send one ping per device every few
/// minutes. Here one timer ticks (default once a second) and walks the registrations.
/// A connection that uses this declares its keep-alive in CONNECT as before (<see cref="KeepAliveDeclaringAdapterFactory"/>),
/// so the broker still drops it after 1.5 periods of silence.
/// </remarks>
public sealed class SharedKeepAlive : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _tick;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private readonly HashSet<Registration> _registrations = [];
    private long _pingsAnswered;
    private long _pingsFailed;
    private bool _disposed;

    /// <summary>One instance for the whole process; its timer runs only while a connection is registered.</summary>
    public static SharedKeepAlive Shared { get; } = new();

    /// <param name="tick">How often due pings are looked for; a ping goes out at most this late.</param>
    public SharedKeepAlive(TimeSpan? tick = null, TimeProvider? time = null)
    {
        _tick = tick ?? TimeSpan.FromSeconds(1);
        if (_tick <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(tick), _tick, "the tick must be positive");
        _time = time ?? TimeProvider.System;
        _timer = _time.CreateTimer(_ => Tick(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int Connections
    {
        get { lock (_gate) return _registrations.Count; }
    }

    public long PingsAnswered => Interlocked.Read(ref _pingsAnswered);
    public long PingsFailed => Interlocked.Read(ref _pingsFailed);

    /// <summary>
    /// Pings with <paramref name="ping"/> every <paramref name="keepAlive"/>/2 from now on, until the returned handle is
    /// disposed. <paramref name="onUnanswered"/> is called (once per failed ping, on a pool thread) when a ping throws or
    /// is not answered within <paramref name="keepAlive"/>/2; it should end the connection.
    /// </summary>
    public IDisposable Register(TimeSpan keepAlive, Func<CancellationToken, Task> ping, Action<Exception> onUnanswered)
    {
        if (keepAlive <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(keepAlive), keepAlive, "a keep-alive period must be positive");
        ArgumentNullException.ThrowIfNull(ping);
        ArgumentNullException.ThrowIfNull(onUnanswered);
        var interval = keepAlive / 2;
        var registration = new Registration(this, interval, ping, onUnanswered) { NextPing = _time.GetUtcNow() + interval };
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _registrations.Add(registration);
            if (_registrations.Count == 1) _timer.Change(_tick, _tick);
        }
        return registration;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _registrations.Clear();
        }
        _timer.Dispose();
    }

    private void Unregister(Registration registration)
    {
        lock (_gate)
        {
            if (_registrations.Remove(registration) && _registrations.Count == 0 && !_disposed)
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private void Tick()
    {
        var now = _time.GetUtcNow();
        List<Registration>? due = null;
        lock (_gate)
        {
            foreach (var r in _registrations)
            {
                if (r.NextPing > now || r.Pinging) continue;
                r.NextPing = now + r.Interval;
                r.Pinging = true;
                (due ??= []).Add(r);
            }
        }
        if (due is null) return;
        foreach (var r in due) _ = PingAsync(r);
    }

    private async Task PingAsync(Registration r)
    {
        try
        {
            using var timeout = new CancellationTokenSource(r.Interval, _time);
            await r.Ping(timeout.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _pingsAnswered);
        }
        catch (Exception e)
        {
            if (r.Disposed) return;
            Interlocked.Increment(ref _pingsFailed);
            r.OnUnanswered(e);
        }
        finally
        {
            lock (_gate) r.Pinging = false;
        }
    }

    private sealed class Registration(SharedKeepAlive owner, TimeSpan interval, Func<CancellationToken, Task> ping, Action<Exception> onUnanswered) : IDisposable
    {
        public TimeSpan Interval { get; } = interval;
        public Func<CancellationToken, Task> Ping { get; } = ping;
        public Action<Exception> OnUnanswered { get; } = onUnanswered;
        public DateTimeOffset NextPing { get; set; }
        public bool Pinging { get; set; }
        public bool Disposed { get; private set; }

        public void Dispose()
        {
            Disposed = true;
            owner.Unregister(this);
        }
    }
}
