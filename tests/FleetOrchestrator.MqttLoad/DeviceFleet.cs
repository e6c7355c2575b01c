using System.Diagnostics;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;

namespace FleetOrchestrator.MqttLoad;

/// <summary>
/// N <see cref="DeviceMqttConnection"/>s and the counting the measurement needs: connect them all, wait for K commands,
/// make every device publish one event. Used by the device child process (TCP) and by the in-process mode.
/// </summary>
internal sealed class DeviceFleet : IAsyncDisposable
{
    private readonly DeviceMqttConnection[] _devices;
    private readonly int _concurrency;
    private long _received;
    private long _target = long.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;

    /// <param name="options">The connection options of device <c>id</c> (its secret is derived from the fleet key).</param>
    public DeviceFleet(int count, int concurrency, Func<string, string, DeviceConnectionOptions> options)
    {
        _concurrency = concurrency;
        _devices = Enumerable.Range(0, count).Select(i =>
        {
            var id = LoadSettings.DeviceId(i);
            return new DeviceMqttConnection(options(id, DeviceSecrets.Derive(LoadSettings.FleetKey, id)), OnCommand);
        }).ToArray();
    }

    /// <summary>Connects every device (connect, subscribe, retained presence); returns how long that took.</summary>
    public async Task<TimeSpan> ConnectAllAsync()
    {
        var clock = Stopwatch.StartNew();
        await ForEachAsync(async d =>
        {
            var outcome = await d.ConnectAsync();
            if (!outcome.IsConnected) throw new InvalidOperationException($"{d.DeviceId}: {outcome.ResultCode} {outcome.Reason}");
        });
        return clock.Elapsed;
    }

    /// <summary>Starts counting received commands afresh; the task completes when <paramref name="count"/> arrived.</summary>
    public Task Expect(long count)
    {
        Interlocked.Exchange(ref _received, 0);
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _target, count);
        return _reached.Task;
    }

    /// <summary>Every device publishes one <see cref="HealthReported"/> (QoS 1); returns when every PUBACK arrived.</summary>
    public Task PublishOneEventEachAsync()
    {
        long sequence = Interlocked.Increment(ref _sequence);
        return ForEachAsync(d => d.PublishEventAsync(new HealthReported(null, sequence, true, null)));
    }

    private Task OnCommand(DeviceCommand command)
    {
        if (Interlocked.Increment(ref _received) == Volatile.Read(ref _target)) _reached.TrySetResult();
        return Task.CompletedTask;
    }

    private async Task ForEachAsync(Func<DeviceMqttConnection, Task> action)
    {
        using var gate = new SemaphoreSlim(_concurrency);
        var tasks = _devices.Select(async item =>
        {
            await gate.WaitAsync();
            try { await action(item); }
            finally { gate.Release(); }
        });
        await Task.WhenAll(tasks);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _devices) await d.DisposeAsync();
    }
}
