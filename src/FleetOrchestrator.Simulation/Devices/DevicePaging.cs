using System.Collections.Concurrent;

namespace FleetOrchestrator.Simulation.Devices;

/// <summary>
/// The cellular network's side of sleeping devices (LTE-M/NB-IoT power saving, PROTOCOL.md §2 and §12): a device
/// with nothing to do for <see cref="SleepAfterIdle"/> says it goes offline and disconnects, keeping its persistent
/// session, so the broker queues its QoS 1 commands; when the orchestrator sends it a command, the network pages it
/// (<see cref="Page"/>) and it connects, collects the command and answers. An idle device thus holds no MQTT
/// connection, no client and no broker-side connection state: only its model and its session at the broker.
/// </summary>
/// <remarks>
/// One timer for the whole fleet looks for devices idle long enough (no per-device timer, as with
/// <c>SharedKeepAlive</c>). Idle means: nothing queued or running, no transfer, MCU powered and the link caught up
/// with its last reset. Time is real time (a <see cref="TimeProvider"/>), not the simulated clock: with delays off the
/// simulated clock does not wait, and the point is how many devices hold a connection at once.
/// </remarks>
public sealed class DevicePaging : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly ConcurrentDictionary<string, SimulatedDevice> _devices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SimulatedDevice, byte> _awake = new();
    private long _pages;
    private long _sleeps;
    private long _wakes;

    /// <param name="sleepAfterIdle">
    /// How long a device stays connected with nothing to do (the modem's active timer).
    /// </param>
    /// <param name="time">The clock and timer; tests pass a fake one.</param>
    public DevicePaging(TimeSpan sleepAfterIdle, TimeProvider? time = null)
    {
        if (sleepAfterIdle <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(sleepAfterIdle), sleepAfterIdle,
                "the idle time before sleep must be positive");
        SleepAfterIdle = sleepAfterIdle;
        _time = time ?? TimeProvider.System;
        var tick = TimeSpan.FromTicks(Math.Max(sleepAfterIdle.Ticks / 2, TimeSpan.FromMilliseconds(50).Ticks));
        _timer = _time.CreateTimer(_ => Sweep(), null, tick, tick);
    }

    public TimeSpan SleepAfterIdle { get; }

    /// <summary>Devices holding a connection (or getting one) now.</summary>
    public int Awake => _awake.Count;

    /// <summary>Devices this network serves.</summary>
    public int Devices => _devices.Count;

    /// <summary>Pages sent (one per command the orchestrator handed to the transport).</summary>
    public long Pages => Interlocked.Read(ref _pages);

    /// <summary>Times a device went to sleep.</summary>
    public long Sleeps => Interlocked.Read(ref _sleeps);

    /// <summary>Times a sleeping device woke up to connect.</summary>
    public long Wakes => Interlocked.Read(ref _wakes);

    /// <summary>A command waits for <paramref name="deviceId"/>: wake it if it sleeps. Unknown ids are
    /// ignored.</summary>
    public void Page(string deviceId)
    {
        Interlocked.Increment(ref _pages);
        if (_devices.TryGetValue(deviceId, out var device)) device.OnPaged();
    }

    /// <summary>Sleeps every idle device now, whatever its idle time (for measurements and tests).</summary>
    public void SleepIdleDevicesNow()
    {
        foreach (var device in _awake.Keys) device.SleepIfIdle(force: true);
    }

    public void Dispose() => _timer.Dispose();

    internal long Timestamp() => _time.GetTimestamp();

    internal bool IdleLongEnough(long lastActivity) => _time.GetElapsedTime(lastActivity) >= SleepAfterIdle;

    internal void Register(SimulatedDevice device)
    {
        if (!_devices.TryAdd(device.DeviceId, device))
            throw new InvalidOperationException($"device '{device.DeviceId}' is already served by this network");
    }

    internal void Unregister(SimulatedDevice device)
    {
        _devices.TryRemove(new KeyValuePair<string, SimulatedDevice>(device.DeviceId, device));
        _awake.TryRemove(device, out _);
    }

    internal void MarkAwake(SimulatedDevice device, bool woke)
    {
        _awake.TryAdd(device, 0);
        if (woke) Interlocked.Increment(ref _wakes);
    }

    internal void MarkAsleep(SimulatedDevice device)
    {
        _awake.TryRemove(device, out _);
        Interlocked.Increment(ref _sleeps);
    }

    private void Sweep()
    {
        foreach (var device in _awake.Keys) device.SleepIfIdle(force: false);
    }
}
