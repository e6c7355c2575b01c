using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>
/// The broker outlives the actor system when the orchestrator restarts (the simulate fault), so its inbound side is
/// pointed at whichever shard region is current. Traffic that arrives while no region exists is dropped and counted:
/// devices re-send unanswered events and re-publish state after reconnects, and the sagas re-ask on recovery.
/// </summary>
internal sealed class SwitchableTrafficHandler : IDeviceTrafficHandler
{
    private volatile IDeviceTrafficHandler? _current;
    private long _droppedWhileDown;

    public long DroppedWhileDown => Interlocked.Read(ref _droppedWhileDown);

    public void Switch(IDeviceTrafficHandler? handler) => _current = handler;

    public void OnEvent(string deviceId, DeviceEvent deviceEvent) { if (Target() is { } t) t.OnEvent(deviceId, deviceEvent); }

    public void OnState(string deviceId, DeviceStateReport state) { if (Target() is { } t) t.OnState(deviceId, state); }

    public void OnPresence(string deviceId, DevicePresence presence) { if (Target() is { } t) t.OnPresence(deviceId, presence); }

    public void OnRejected(string topic, string? clientId, string reason) { if (Target() is { } t) t.OnRejected(topic, clientId, reason); }

    private IDeviceTrafficHandler? Target()
    {
        var current = _current;
        if (current is null) Interlocked.Increment(ref _droppedWhileDown);
        return current;
    }
}
