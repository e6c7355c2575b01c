using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;

namespace FleetOrchestrator.MqttLoad;

/// <summary>Counts events and signals when an armed target is reached; anything rejected is a failed run.</summary>
internal sealed class CountingTrafficHandler : IDeviceTrafficHandler
{
    private long _events;
    private long _target = long.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Rejected;

    public Task Arm(long target)
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _events, 0);
        Volatile.Write(ref _target, target);
        return _reached.Task;
    }

    public void OnEvent(string deviceId, DeviceEvent deviceEvent)
    {
        if (Interlocked.Increment(ref _events) == Volatile.Read(ref _target)) _reached.TrySetResult();
    }

    public void OnState(string deviceId, DeviceStateReport state) { }
    public void OnPresence(string deviceId, DevicePresence presence) { }
    public void OnRejected(string topic, string? clientId, string reason)
    {
        Interlocked.Increment(ref Rejected);
        Console.Error.WriteLine($"rejected {topic} {clientId}: {reason}");
    }
}
